import type { Model } from '@chainmap/sim'
import { type BoardSource, readBoardContents } from './boardContents.js'
import type { BoardIssue } from './boardIssue.js'
import { buildModel } from './buildModel.js'

/**
 * The simulation model of a board, in the `@chainmap/sim` JSON format: settings from the doc's
 * settings map, one row per chain-map shape in (index, id) order, ids from shape ids (see
 * `modelIdOfShape`). Shapes that cannot be simulated yet are left out (list them with
 * {@link boardIssues}), so a board whose props hold valid values gives a model that passes
 * `parseModel`; props are not validated here (`simulate`/`parseModel` do that).
 *
 * @param source - a board Y.Doc (throws a `BoardError` `newer-schema` if written by a newer app),
 *   or records and settings at hand.
 */
export function modelFromBoard(source: BoardSource): Model {
  return buildModel(readBoardContents(source), 'complete').model
}

/** The chain-map shapes {@link modelFromBoard} leaves out, and why (for the inspector). */
export function boardIssues(source: BoardSource): BoardIssue[] {
  return buildModel(readBoardContents(source), 'complete').issues
}
