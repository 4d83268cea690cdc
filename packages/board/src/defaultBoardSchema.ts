import type { TLSchema } from '@tldraw/tlschema'
import { createBoardSchema } from './boardSchema.js'

let cached: TLSchema | undefined

/** The board schema built once ({@link createBoardSchema} without options). */
export function defaultBoardSchema(): TLSchema {
  cached ??= createBoardSchema()
  return cached
}
