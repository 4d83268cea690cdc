import type * as Y from 'yjs'

/** Shapes and arrows in the "small board" the memory benchmark loads. */
export const SMALL_BOARD = { shapes: 24, arrows: 12 } as const

/**
 * Writes a small tldraw-like board into `doc`: records stored per property (one Y.Map per record,
 * one entry per property), the way the chainmap board keeps them, then a few edits on top.
 */
export function writeSmallBoard(doc: Y.Doc, YMap: typeof Y.Map, seed: number): void {
  const records = doc.getMap<Y.Map<unknown>>('records')
  doc.transact(() => {
    for (let i = 0; i < SMALL_BOARD.shapes + SMALL_BOARD.arrows; i++) {
      const arrow = i >= SMALL_BOARD.shapes
      const record = new YMap<unknown>()
      records.set(`shape:${seed}-${i}`, record)
      record.set('id', `shape:${seed}-${i}`)
      record.set('typeName', 'shape')
      record.set('type', arrow ? 'chain-link' : 'company')
      record.set('parentId', 'page:page')
      record.set('index', `a${i}`)
      record.set('x', (i % 6) * 220)
      record.set('y', Math.floor(i / 6) * 160)
      record.set('rotation', 0)
      record.set('isLocked', false)
      record.set('opacity', 1)
      record.set(
        'props',
        arrow
          ? {
              start: `shape:${seed}-${i % SMALL_BOARD.shapes}`,
              end: `shape:${seed}-${(i + 1) % SMALL_BOARD.shapes}`,
              weight: 0.5,
            }
          : { w: 180, h: 96, name: `Company ${i}`, color: 'blue', share: 0.1, note: '' },
      )
      record.set('meta', {})
    }
  })
  // A few moves, as a short editing session leaves behind.
  for (let i = 0; i < 10; i++) {
    const record = records.get(`shape:${seed}-${i}`)
    record?.set('x', 1000 + i)
    record?.set('y', 500 + i)
  }
}
