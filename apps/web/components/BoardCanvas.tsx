'use client'

import { useEffect, useState } from 'react'
import 'tldraw/tldraw.css'
import { renewBoardToken } from '@/app/renew'
import { BoardSession } from '@/lib/sync/BoardSession'
import { loadLocalUser } from '@/lib/sync/localUser'
import { BoardEditor } from './BoardEditor'
import { chainShapeUtils } from './chainUtils'

/** Props of the board canvas, decided by the server page. */
export interface BoardCanvasProps {
  room: string
  syncUrl: string
  token: string | undefined
  role: 'edit' | 'view'
  licenseKey: string | undefined
  /** Template to fill a new, empty board with. */
  template: string | undefined
}

/** Opens the board session (sync + offline cache) and shows the editor once it is ready. */
export default function BoardCanvas(props: BoardCanvasProps) {
  const { room, syncUrl, token, role } = props
  const [session, setSession] = useState<BoardSession | null>(null)
  useEffect(() => {
    const opened = new BoardSession({
      room,
      syncUrl,
      token,
      role,
      user: loadLocalUser(),
      shapeUtils: chainShapeUtils,
      renewToken: renewBoardToken,
      onTokenRenewed: (renewed) => {
        // A reload then opens the board with the renewed token, not the expired one.
        const address = new URL(window.location.href)
        address.searchParams.set('token', renewed)
        window.history.replaceState(window.history.state, '', address)
      },
    })
    let live = true
    void opened.open().then(() => {
      if (live) setSession(opened)
    })
    return () => {
      live = false
      setSession(null)
      opened.dispose()
    }
  }, [room, syncUrl, token, role])
  if (!session) {
    return (
      <div data-testid="board-loading" style={{ padding: 24, fontSize: 14 }}>
        Opening board “{room}”…
      </div>
    )
  }
  return <BoardEditor session={session} licenseKey={props.licenseKey} template={props.template} />
}
