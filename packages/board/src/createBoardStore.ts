import { Store } from '@tldraw/store'
import type { TLSchema, TLStore, TLStoreProps } from '@tldraw/tlschema'
import type { BoardBinding } from './BoardBinding.js'
import { defaultBoardSchema } from './defaultBoardSchema.js'

/**
 * A tldraw store with the board schema and no editor, for Node (the sync server, tests, scripts):
 * built from `@tldraw/store` and `@tldraw/tlschema` only, so it needs no DOM and no React. The
 * browser uses `<Tldraw>`'s own store instead.
 *
 * tldraw's store delivers changes to listeners (and so to {@link BoardBinding}) on the next
 * animation frame. Browsers and vitest (`NODE_ENV=test`, where tldraw flushes at once) need
 * nothing; plain Node has no `requestAnimationFrame`, so define one before changing a store there:
 * `globalThis.requestAnimationFrame ??= (cb) => setTimeout(() => cb(performance.now()), 0)` and
 * `globalThis.cancelAnimationFrame ??= (id) => clearTimeout(id)`. Server code that only reads a
 * board needs no store at all: use `modelFromBoard(doc)` and `readBoardRecords(doc, schema)`.
 */
export function createBoardStore(
  options: { schema?: TLSchema; defaultName?: string } = {},
): TLStore {
  const props: TLStoreProps = {
    defaultName: options.defaultName ?? '',
    assets: {
      upload: () =>
        Promise.reject(new Error('a board store without an editor cannot upload assets')),
      resolve: (asset) => ('src' in asset.props ? asset.props.src : null),
      remove: () => Promise.resolve(),
    },
    users: {
      currentUser: { get: () => null } as unknown as TLStoreProps['users']['currentUser'],
      resolve: () =>
        ({ get: () => null }) as unknown as ReturnType<TLStoreProps['users']['resolve']>,
    },
    onMount: () => {},
  }
  return new Store({ schema: options.schema ?? defaultBoardSchema(), props })
}
