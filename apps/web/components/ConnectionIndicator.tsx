import { useValue } from 'tldraw'
import type { BoardConnection } from '@/lib/sync/BoardConnection'

const LABELS = {
  connecting: ['connecting…', '#f08c00'],
  online: ['online', '#2f9e44'],
  offline: ['offline — edits are kept and merge on reconnect', '#e03131'],
  refused: ['refused', '#e03131'],
} as const

/** A dot and a word: whether this canvas is live with the sync server. */
export function ConnectionIndicator({ connection }: { connection: BoardConnection }) {
  const state = useValue(connection.state)
  const [label, color] = LABELS[state.status]
  const detail =
    state.status === 'refused' ? ` (${state.code}${state.reason ? `: ${state.reason}` : ''})` : ''
  return (
    <div
      data-testid="connection"
      data-status={state.status}
      style={{
        display: 'flex',
        alignItems: 'center',
        gap: 6,
        fontSize: 12,
        padding: '4px 8px',
        background: 'white',
        borderRadius: 8,
        boxShadow: '0 1px 3px rgba(0,0,0,.15)',
        pointerEvents: 'all',
      }}
    >
      <span style={{ width: 8, height: 8, borderRadius: 4, background: color }} />
      {label}
      {detail}
    </div>
  )
}
