'use client'

import { useRouter } from 'next/navigation'
import { useEffect, useState } from 'react'
import { createBoard } from '@/app/actions'
import { loadRecentBoards, type RecentBoard, rememberBoard } from '@/lib/boards/recentBoards'

/** A template as the home page lists it. */
export interface TemplateChoice {
  id: string
  title: string
  description: string
}

/**
 * New board buttons (blank or from a template), with an invite code field when the server asks
 * for one, and this browser's recent boards.
 */
export function HomeClient({
  templates,
  inviteRequired,
}: {
  templates: TemplateChoice[]
  inviteRequired: boolean
}) {
  const router = useRouter()
  const [recent, setRecent] = useState<RecentBoard[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [inviteCode, setInviteCode] = useState('')
  useEffect(() => setRecent(loadRecentBoards()), [])
  const start = async (title: string, template?: string) => {
    setBusy(true)
    setError(null)
    try {
      const created = await createBoard(inviteRequired ? inviteCode : undefined)
      if (!created.ok) {
        setError(created.message)
        setBusy(false)
        return
      }
      const { links } = created
      rememberBoard({ ...links, title, openedAt: new Date().toISOString() })
      const separator = links.edit.includes('?') ? '&' : '?'
      router.push(template ? `${links.edit}${separator}template=${template}` : links.edit)
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught))
      setBusy(false)
    }
  }
  return (
    <>
      <section>
        <h2>New board</h2>
        {inviteRequired && (
          <p>
            <label>
              Invite code{' '}
              <input
                type="password"
                autoComplete="off"
                value={inviteCode}
                onChange={(event) => setInviteCode(event.target.value)}
                aria-describedby="invite-help"
              />
            </label>{' '}
            <span id="invite-help">New boards on this server need the code its team shares.</span>
          </p>
        )}
        <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
          <button
            type="button"
            disabled={busy}
            onClick={() => start('Blank board')}
            style={cardStyle}
          >
            <strong>Blank board</strong>
            <span>Start from an empty canvas.</span>
          </button>
          {templates.map((t) => (
            <button
              key={t.id}
              type="button"
              disabled={busy}
              onClick={() => start(t.title, t.id)}
              style={cardStyle}
            >
              <strong>{t.title}</strong>
              <span>{t.description}</span>
            </button>
          ))}
        </div>
        {error && <p role="alert">Could not create a board: {error}</p>}
      </section>
      <section>
        <h2>Recent boards</h2>
        {recent.length === 0 ? (
          <p>No boards yet in this browser.</p>
        ) : (
          <ul data-testid="recent-boards" style={{ paddingLeft: 0, listStyle: 'none' }}>
            {recent.map((b) => (
              <li key={b.room} style={{ marginBottom: 8 }}>
                <strong>{b.title}</strong> <code>{b.room}</code> · <a href={b.edit}>edit link</a> ·{' '}
                <a href={b.view}>view-only link</a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  )
}

const cardStyle = {
  display: 'flex',
  flexDirection: 'column',
  gap: 4,
  alignItems: 'flex-start',
  width: 220,
  padding: 12,
  border: '1px solid #ced4da',
  borderRadius: 10,
  background: 'white',
  textAlign: 'left',
  cursor: 'pointer',
} as const
