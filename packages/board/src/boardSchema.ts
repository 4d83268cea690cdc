import type { SchemaPropsInfo, TLSchema } from '@tldraw/tlschema'
import { createTLSchema, defaultBindingSchemas, defaultShapeSchemas } from '@tldraw/tlschema'
import { chainmapShapeSchemas } from './shapes/chainmapShapes.js'
import { CHART_SHAPE_TYPE, chartShapeProps } from './shapes/chartShape.js'

/**
 * Version of the Y.Doc layout (which Y types hold what, see the README). A client that finds a
 * larger number in a board's `meta` map stays read-only.
 */
export const BOARD_FORMAT_VERSION = 1

/** Options of {@link createBoardSchema}. */
export interface BoardSchemaOptions {
  /** Extra or replacement shape schemas (e.g. a test's future version of a chain-map shape). */
  shapes?: Record<string, SchemaPropsInfo>
}

/**
 * The tldraw schema of a chainmap board: tldraw's default shapes and bindings plus the chain-map
 * shapes and the chart (which apps/web draws). apps/web must end up with the same schema (`<Tldraw shapeUtils>` built from the exported
 * props and migrations), since the schema's migration versions are written into the document.
 */
export function createBoardSchema(options: BoardSchemaOptions = {}): TLSchema {
  return createTLSchema({
    shapes: {
      ...defaultShapeSchemas,
      ...chainmapShapeSchemas,
      [CHART_SHAPE_TYPE]: { props: chartShapeProps },
      ...options.shapes,
    },
    bindings: defaultBindingSchemas,
  })
}
