import { ModelError, type ModelProblem, parseModel } from '@chainmap/sim'
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import type { BoardSettings } from '../settings.js'
import { chainmapShapeSchemas, isChainmapShape } from '../shapes/chainmapShapes.js'
import { type BoardContents, type BoardSource, readBoardContents } from './boardContents.js'
import { buildModel } from './buildModel.js'

/** A problem a change would introduce: the sim's path and message, and the shape it is about. */
export interface ChangeProblem extends ModelProblem {
  /** The shape behind the model row the path points into (absent for settings). */
  shapeId?: string
}

/** Result of validating a proposed change: fine, or the sim's message saying why not. */
export type ChangeValidation =
  | { ok: true }
  | {
      ok: false
      /** The first new problem, in the sim's words, e.g. `products[3].churn must be >= 0`. */
      message: string
      /** Every problem the change would introduce, e.g. every lane a smaller population breaks. */
      problems: readonly ChangeProblem[]
    }

/**
 * Whether setting prop `prop` of shape `shapeId` to `value` keeps the board's model valid, judged
 * by `@chainmap/sim`'s own rules and messages. Only problems the change introduces count, so an
 * unrelated, already broken shape does not block the edit. Props that are not part of the model
 * (`w`, `h`) are checked with the shape's tldraw validator. Call it before writing a person's edit:
 * an invalid value must never reach the shared document.
 */
export function validateShapeChange(
  source: BoardSource,
  shapeId: string,
  prop: string,
  value: unknown,
): ChangeValidation {
  const contents = readBoardContents(source)
  const records = [...contents.records]
  const shape = records.find((r) => r.id === shapeId) as TLShape | undefined
  if (shape?.typeName !== 'shape') return { ok: true }
  const schema = Object.entries(chainmapShapeSchemas).find(([type]) =>
    isChainmapShape(shape, type as never),
  )?.[1]
  if (!schema) return { ok: true }
  const validator = schema.props?.[prop]
  if (!validator) {
    return fail([{ path: prop, message: `${prop} is not a property of ${shape.type}` }])
  }
  let tldrawMessage: string | undefined
  try {
    validator.validate(value)
  } catch (error) {
    tldrawMessage = `${prop}: ${error instanceof Error ? error.message : String(error)}`
    if (!MODEL_PROPS.has(prop)) return fail([{ path: prop, message: tldrawMessage }])
  }
  const changed = {
    ...shape,
    props: { ...(shape.props as Record<string, unknown>), [prop]: value },
  } as unknown as TLRecord
  const after = records.map((r) => (r.id === shapeId ? changed : r))
  const verdict = compare(contents, { ...contents, records: after })
  if (verdict.ok && tldrawMessage !== undefined) {
    return fail([{ path: prop, message: tldrawMessage }])
  }
  return verdict
}

/**
 * Whether changing the global settings by `patch` keeps the board's model valid, by the sim's
 * rules (e.g. `{ population: 10 }` below a market's reach gives `markets[0].reach must be <=
 * population (10)`).
 */
export function validateSettingsChange(
  source: BoardSource,
  patch: Partial<Record<keyof BoardSettings, unknown>>,
): ChangeValidation {
  const contents = readBoardContents(source)
  return compare(contents, {
    ...contents,
    settings: { ...contents.settings, ...patch } as BoardSettings,
  })
}

function compare(before: BoardContents, after: BoardContents): ChangeValidation {
  const existing = new Set(problemsOf(before).map((p) => p.message))
  const introduced = problemsOf(after).filter((p) => !existing.has(p.message))
  return introduced.length === 0 ? { ok: true } : fail(introduced)
}

function problemsOf(contents: BoardContents): readonly ChangeProblem[] {
  const built = buildModel({ ...contents, records: [...contents.records] }, 'as-drawn')
  try {
    parseModel(built.model)
    return []
  } catch (error) {
    if (!(error instanceof ModelError)) throw error
    return error.problems.map((problem) => {
      const row = /^(companies|markets|products|links)\[(\d+)\]/.exec(problem.path)
      const shapeId = row ? built.shapeIds[row[1] as SectionName][Number(row[2])] : undefined
      return shapeId === undefined ? problem : { ...problem, shapeId }
    })
  }
}

type SectionName = 'companies' | 'markets' | 'products' | 'links'

function fail(problems: readonly ChangeProblem[]): ChangeValidation {
  return { ok: false, message: problems[0]?.message ?? 'invalid', problems }
}

const MODEL_PROPS = new Set([
  'name',
  'color',
  'reach',
  'p',
  'q',
  'company',
  'market',
  'appeal',
  'launchDay',
  'initialUsers',
  'churn',
  'from',
  'to',
  'funnel',
  'lockIn',
])
