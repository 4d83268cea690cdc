import * as Y from 'yjs'
import { CloseCodes } from '../closeCodes.js'
import { SyncError } from '../SyncError.js'
import { MAX_JSON_DEPTH, nestsDeeperThan } from './jsonDepth.js'

function refused(what: string, detail: string): SyncError {
  return new SyncError('refused-content', `${what} refused: ${detail}`, CloseCodes.badRequest)
}

// The JSON-like values an item carries, which encoders walk recursively.
function valuesOf(content: Y.Item['content']): readonly unknown[] {
  if (content instanceof Y.ContentAny) return content.arr
  if (content instanceof Y.ContentEmbed) return [content.embed]
  if (content instanceof Y.ContentFormat) return [content.value]
  return []
}

/**
 * Decodes a Yjs update and refuses, before it can reach a room, what the room could take in but
 * never write out again: values nested deeper than {@link MAX_JSON_DEPTH}, legacy JSON content
 * (which current Yjs never writes, and which re-encodes through a recursive `JSON.stringify`),
 * and sub-documents (which a board never holds). Throws a {@link SyncError} naming the frame.
 * @param what - the frame the update came in, for the message
 * @returns the number of structs (items) the update holds
 */
export function checkUpdateContent(update: Uint8Array, what: string): number {
  let structs: readonly (Y.Item | Y.GC | Y.Skip)[]
  try {
    structs = Y.decodeUpdate(update).structs as (Y.Item | Y.GC | Y.Skip)[]
  } catch (error) {
    if (error instanceof RangeError) {
      throw refused(`Yjs update in ${what} frame`, `a value is nested too deep to decode`)
    }
    throw new SyncError(
      'corrupt-update',
      `corrupt Yjs update in ${what} frame: ${(error as Error).message}`,
      CloseCodes.badRequest,
    )
  }
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    const content = struct.content
    if (content instanceof Y.ContentJSON) {
      throw refused(
        `Yjs update in ${what} frame`,
        'legacy JSON content, which current Yjs never writes',
      )
    }
    if (content instanceof Y.ContentDoc) {
      throw refused(`Yjs update in ${what} frame`, 'a sub-document, which a board never holds')
    }
    for (const value of valuesOf(content)) {
      if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
        throw refused(
          `Yjs update in ${what} frame`,
          `a value is nested more than ${MAX_JSON_DEPTH} levels deep`,
        )
      }
    }
  }
  return structs.length
}
