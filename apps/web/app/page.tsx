import { HomeClient } from '@/components/HomeClient'
import { TEMPLATES } from '@/lib/boards/templates'

/** Home: create a board (blank or from a template) and reopen recent ones. */
export default function HomePage() {
  const templates = TEMPLATES.map(({ id, title, description }) => ({ id, title, description }))
  return (
    <main style={{ maxWidth: 760, margin: '3rem auto', padding: '0 1rem' }}>
      <h1>chainmap</h1>
      <p>Map ecosystem chains with your team and watch the simulated market respond live.</p>
      <HomeClient templates={templates} />
    </main>
  )
}
