import type { SchemaPropsInfo, TLShape } from '@tldraw/tlschema'
import { COMPANY_SHAPE_TYPE, companyShapeMigrations, companyShapeProps } from './companyShape.js'
import { LINK_SHAPE_TYPE, linkShapeMigrations, linkShapeProps } from './linkShape.js'
import { MARKET_SHAPE_TYPE, marketShapeMigrations, marketShapeProps } from './marketShape.js'
import { PRODUCT_SHAPE_TYPE, productShapeMigrations, productShapeProps } from './productShape.js'

/** The four chain-map shape types. */
export type ChainmapShapeType =
  | typeof COMPANY_SHAPE_TYPE
  | typeof MARKET_SHAPE_TYPE
  | typeof PRODUCT_SHAPE_TYPE
  | typeof LINK_SHAPE_TYPE

/** Any chain-map shape record. */
export type ChainmapShape = TLShape<ChainmapShapeType>

/** The chain-map shape types, in the order the model lists its sections. */
export const CHAINMAP_SHAPE_TYPES: readonly ChainmapShapeType[] = [
  COMPANY_SHAPE_TYPE,
  MARKET_SHAPE_TYPE,
  PRODUCT_SHAPE_TYPE,
  LINK_SHAPE_TYPE,
]

/** Props validators and migrations of every chain-map shape, keyed by type (for `createTLSchema`). */
export const chainmapShapeSchemas: Record<ChainmapShapeType, SchemaPropsInfo> = {
  [COMPANY_SHAPE_TYPE]: { props: companyShapeProps, migrations: companyShapeMigrations },
  [MARKET_SHAPE_TYPE]: { props: marketShapeProps, migrations: marketShapeMigrations },
  [PRODUCT_SHAPE_TYPE]: { props: productShapeProps, migrations: productShapeMigrations },
  [LINK_SHAPE_TYPE]: { props: linkShapeProps, migrations: linkShapeMigrations },
}

/** Whether `shape` is a chain-map shape of type `type`. */
export function isChainmapShape<K extends ChainmapShapeType>(
  shape: { typeName: string; type?: unknown },
  type: K,
): shape is TLShape<K> {
  return shape.typeName === 'shape' && shape.type === type
}
