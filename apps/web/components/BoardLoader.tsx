'use client'

import dynamic from 'next/dynamic'
import type { BoardCanvasProps } from './BoardCanvas'

const BoardCanvas = dynamic(() => import('./BoardCanvas'), {
  ssr: false,
  loading: () => <div style={{ padding: 24, fontSize: 14 }}>Loading the canvas…</div>,
})

/** Loads the tldraw canvas in the browser only (it needs the DOM). */
export function BoardLoader(props: BoardCanvasProps) {
  return <BoardCanvas {...props} />
}
