import { DefaultSharePanel, useValue } from 'tldraw'
import { useBoardSession } from './BoardSessionContext'
import { ConnectionIndicator } from './ConnectionIndicator'

/** Top-right: the connection indicator, the read-only notice and tldraw's people menu. */
export function BoardSharePanel() {
  const session = useBoardSession()
  const readOnly = useValue(session.readOnlyReason)
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 8, padding: 6 }}>
      {readOnly && (
        <div
          data-testid="read-only"
          title={readOnly}
          style={{
            fontSize: 12,
            padding: '4px 8px',
            background: '#fff3bf',
            borderRadius: 8,
            maxWidth: 320,
            pointerEvents: 'all',
          }}
        >
          Read-only: {readOnly}
        </div>
      )}
      <ConnectionIndicator connection={session.connection} />
      <DefaultSharePanel />
    </div>
  )
}
