import { connection } from 'next/server'
import { HomeClient } from '@/components/HomeClient'
import { readEnv } from '@/env'
import { TEMPLATES } from '@/lib/boards/templates'

/** Home: create a board (blank or from a template) and reopen recent ones. */
export default async function HomePage() {
  // Rendered per request: whether an invite code is needed is a setting of `next start`.
  await connection()
  const templates = TEMPLATES.map(({ id, title, description }) => ({ id, title, description }))
  const inviteRequired = readEnv().CHAINMAP_INVITE_CODE !== undefined
  return (
    <main style={{ maxWidth: 760, margin: '3rem auto', padding: '0 1rem' }}>
      <h1>chainmap</h1>
      <p>Map ecosystem chains with your team and watch the simulated market respond live.</p>
      <HomeClient templates={templates} inviteRequired={inviteRequired} />
    </main>
  )
}
