import type { TLSchema } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { createBoardSchema } from '../src/boardSchema.js'
import { PRODUCT_SHAPE_TYPE, productShapeProps } from '../src/shapes/productShape.js'

/** Sequence id of the product shape's props migrations. */
export const PRODUCT_SEQUENCE = `com.tldraw.shape.${PRODUCT_SHAPE_TYPE}`

/**
 * The schema of an imagined next chainmap release: the product shape gained a `note` prop
 * (migration 1, default `''`). It lets tests play an old client meeting a new board and a new
 * client meeting an old board.
 */
export function futureBoardSchema(): TLSchema {
  return createBoardSchema({
    shapes: {
      [PRODUCT_SHAPE_TYPE]: {
        props: { ...productShapeProps, note: T.string },
        migrations: {
          sequence: [
            {
              id: `${PRODUCT_SEQUENCE}/1`,
              up: (props: Record<string, unknown>) => ({ ...props, note: '' }),
              down: ({ note: _note, ...props }: Record<string, unknown>) => props,
            },
          ],
        },
      },
    },
  })
}
