import { ChainLinkShapeUtil } from './shapes/ChainLinkShapeUtil'
import { ChartShapeUtil } from './shapes/ChartShapeUtil'
import { CompanyShapeUtil } from './shapes/CompanyShapeUtil'
import { MarketShapeUtil } from './shapes/MarketShapeUtil'
import { ProductShapeUtil } from './shapes/ProductShapeUtil'
import { ChainLinkTool } from './tools/ChainLinkTool'
import { ChartTool } from './tools/ChartTool'
import { CompanyTool } from './tools/CompanyTool'
import { MarketTool } from './tools/MarketTool'
import { ProductTool } from './tools/ProductTool'

/** The chain-map shape utils, registered with the store and the editor alike. */
export const chainShapeUtils = [
  CompanyShapeUtil,
  MarketShapeUtil,
  ProductShapeUtil,
  ChainLinkShapeUtil,
  ChartShapeUtil,
] as const

/** The chain-map tools, one per shape. */
export const chainTools = [CompanyTool, MarketTool, ProductTool, ChainLinkTool, ChartTool] as const
