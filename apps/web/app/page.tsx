export default function HomePage() {
  return (
    <main style={{ maxWidth: 720, margin: '4rem auto', padding: '0 1rem' }}>
      <h1>chainmap</h1>
      <p>Map ecosystem chains with your team and watch the simulated market respond live.</p>
    </main>
  )
}
