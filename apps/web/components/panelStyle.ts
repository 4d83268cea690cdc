import type { CSSProperties } from 'react'

/** The look shared by the floating panels over the canvas. */
export const panelStyle: CSSProperties = {
  position: 'absolute',
  background: 'white',
  borderRadius: 10,
  boxShadow: '0 2px 8px rgba(0,0,0,.18)',
  padding: 10,
  fontSize: 13,
  pointerEvents: 'all',
  zIndex: 300,
}
