/**
 * `@chainmap/board` — the shared chainmap board document and its mapping to the simulation model.
 * @packageDocumentation
 */
export {
  BoardBinding,
  type BoardBindingOptions,
  type BoardBindingStatus,
  type BoardUndoOptions,
} from './BoardBinding.js'
export { BoardError, type BoardErrorCode } from './BoardError.js'
export { BOARD_FORMAT_VERSION, type BoardSchemaOptions, createBoardSchema } from './boardSchema.js'
export { createBoardStore } from './createBoardStore.js'
export {
  getMetaMap,
  getRecordsMap,
  getSettingsMap,
  META_KEY,
  PROPS_KEY,
  RECORDS_KEY,
  SETTINGS_KEY,
  type YRecord,
} from './doc/boardDoc.js'
export { readBoardRecords, writeBoardRecords } from './doc/boardRecords.js'
export { type BoardSchemaCheck, checkBoardSchema } from './doc/checkBoardSchema.js'
export { isValidRoomName, MAX_ROOM_NAME_LENGTH } from './roomName.js'
export {
  CHAINMAP_SHAPE_TYPES,
  type ChainmapShape,
  type ChainmapShapeType,
  chainmapShapeSchemas,
  isChainmapShape,
} from './shapes/chainmapShapes.js'
export {
  COMPANY_SHAPE_TYPE,
  type CompanyShape,
  type CompanyShapeProps,
  companyShapeMigrations,
  companyShapeProps,
  defaultCompanyShapeProps,
} from './shapes/companyShape.js'
export {
  defaultLinkShapeProps,
  LINK_SHAPE_TYPE,
  type LinkShape,
  type LinkShapeProps,
  linkShapeMigrations,
  linkShapeProps,
} from './shapes/linkShape.js'
export {
  defaultMarketShapeProps,
  MARKET_SHAPE_TYPE,
  type MarketShape,
  type MarketShapeProps,
  marketShapeMigrations,
  marketShapeProps,
} from './shapes/marketShape.js'
export {
  defaultProductShapeProps,
  PRODUCT_SHAPE_TYPE,
  type ProductShape,
  type ProductShapeProps,
  productShapeMigrations,
  productShapeProps,
} from './shapes/productShape.js'
