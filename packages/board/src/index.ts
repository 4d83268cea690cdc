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
export {
  type BoardSchemaCheck,
  checkBoardMeta,
  checkBoardSchema,
} from './doc/checkBoardSchema.js'
export {
  type BoardDocMeta,
  FORMAT_VERSION_KEY,
  readBoardMeta,
  SCHEMA_KEY,
} from './doc/schemaMeta.js'
export type { BoardContents, BoardSource } from './model/boardContents.js'
export {
  type BoardFromModel,
  type BoardFromModelOptions,
  boardFromModel,
} from './model/boardFromModel.js'
export type { BoardIssue } from './model/boardIssue.js'
export { type BoardLayout, defaultBoardLayout, type LayoutBox } from './model/boardLayout.js'
export { indexKeyAt } from './model/indexKeys.js'
export { boardIssues, modelFromBoard } from './model/modelFromBoard.js'
export {
  linkShapeIdForModel,
  type ModelIdKind,
  modelIdOfShape,
  shapeIdForModel,
} from './model/modelIds.js'
export {
  type ChangeProblem,
  type ChangeValidation,
  validateSettingsChange,
  validateShapeChange,
} from './model/validateChange.js'
export { isValidRoomName, MAX_ROOM_NAME_LENGTH } from './roomName.js'
export {
  type BoardScenario,
  createScenario,
  deleteScenario,
  getScenariosMap,
  type OverrideShape,
  observeScenarios,
  overridePathOfShape,
  readScenarios,
  removeScenarioOverride,
  renameScenario,
  SCENARIO_NAME_KEY,
  SCENARIO_OVERRIDES_KEY,
  SCENARIOS_KEY,
  setScenarioOverride,
  validateScenarioOverride,
} from './scenarios/boardScenarios.js'
export {
  BOARD_SETTING_KEYS,
  type BoardSettings,
  DEFAULT_BOARD_SETTINGS,
  observeSettings,
  readSettings,
  writeSettings,
} from './settings.js'
export {
  chainmapShapeRecord,
  type IndexKey,
  type ShapePlacement,
} from './shapes/chainmapShapeRecord.js'
export {
  CHAINMAP_SHAPE_TYPES,
  type ChainmapShape,
  type ChainmapShapeType,
  chainmapShapeSchemas,
  isChainmapShape,
} from './shapes/chainmapShapes.js'
export {
  CHART_SHAPE_TYPE,
  type ChartKind,
  type ChartShape,
  type ChartShapeProps,
  chartShapeProps,
} from './shapes/chartShape.js'
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
