import { isValidRoomName } from '@chainmap/board'
import Link from 'next/link'
import { BoardLoader } from '@/components/BoardLoader'
import { readEnv } from '@/env'
import { type BoardRole, BoardTokenError, verifyBoardToken } from '@/lib/auth/boardTokens'

/** Route params and query of a board page. */
interface BoardPageProps {
  params: Promise<{ room: string }>
  searchParams: Promise<Record<string, string | string[] | undefined>>
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/**
 * A board. The server checks the link's token (when auth is on) and passes the role, the sync
 * URL and the tldraw license key to the canvas, which is rendered in the browser only.
 */
export default async function BoardPage({ params, searchParams }: BoardPageProps) {
  const { room } = await params
  const query = await searchParams
  const env = readEnv()
  if (!isValidRoomName(room)) return <Refusal message="That is not a valid board name." />
  const token = first(query.token)
  let role: BoardRole = first(query.view) === '1' ? 'view' : 'edit'
  if (env.CHAINMAP_AUTH_SECRET) {
    try {
      role = (await verifyBoardToken(env.CHAINMAP_AUTH_SECRET, room, token)).role
    } catch (error) {
      if (error instanceof BoardTokenError) return <Refusal message={error.message} />
      throw error
    }
  }
  return (
    <BoardLoader
      room={room}
      syncUrl={env.CHAINMAP_SYNC_URL}
      token={token}
      role={role}
      licenseKey={env.NEXT_PUBLIC_TLDRAW_LICENSE_KEY}
      template={first(query.template)}
    />
  )
}

function Refusal({ message }: { message: string }) {
  return (
    <main style={{ maxWidth: 600, margin: '4rem auto', padding: '0 1rem' }}>
      <h1>Cannot open this board</h1>
      <p data-testid="refusal">{message}</p>
      <Link href="/">Back to chainmap</Link>
    </main>
  )
}
