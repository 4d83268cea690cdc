import type * as Y from 'yjs'

/** A doc's test content as one comparable string. */
export function contentOf(doc: Y.Doc): string {
  return JSON.stringify({
    // Y.Map key order follows local insertion order; compare the map sorted.
    map: Object.entries(doc.getMap('map').toJSON()).sort(([a], [b]) => a.localeCompare(b)),
    list: doc.getArray('list').toArray(),
    text: doc.getText('text').toString(),
  })
}

/** One random edit of the map, the list or the text, chosen by `rng`. */
export function randomEdit(doc: Y.Doc, rng: () => number): void {
  const int = (n: number) => Math.floor(rng() * n)
  switch (int(5)) {
    case 0:
      doc.getMap('map').set(`k${int(12)}`, int(1000))
      break
    case 1:
      doc.getMap('map').delete(`k${int(12)}`)
      break
    case 2: {
      const list = doc.getArray<number>('list')
      list.insert(int(list.length + 1), [int(1000)])
      break
    }
    case 3: {
      const list = doc.getArray<number>('list')
      if (list.length > 0) list.delete(int(list.length), 1)
      break
    }
    default: {
      const text = doc.getText('text')
      if (rng() < 0.7 || text.length === 0)
        text.insert(int(text.length + 1), String.fromCharCode(97 + int(26)))
      else text.delete(int(text.length), 1)
    }
  }
}
