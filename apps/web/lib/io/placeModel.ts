import type { Model } from '@chainmap/sim'
import { createShapeId, type Editor, type TLShapeId } from 'tldraw'
import { CHAIN_LINK, COMPANY, COMPANY_COLORS, MARKET, PRODUCT } from '@/lib/shapes/chainShapeTypes'
import type { BoardSettings } from '@/lib/sim/boardSettings'
import { layoutModel } from './layoutModel'

/** The global settings a model carries. */
export function settingsOfModel(model: Model): BoardSettings {
  return {
    population: model.population,
    horizonDays: model.horizonDays,
    stepDays: model.stepDays,
    seed: model.seed,
    networkEffect: model.networkEffect,
    ecosystemPull: model.ecosystemPull,
  }
}

/**
 * Draws a validated model on the current page, laid out in market lanes (elkjs), as one
 * undoable change; returns the new shape ids. The model's own ids are not reused (a board may
 * already hold shapes), so importing the same model twice draws it twice.
 */
export async function placeModel(editor: Editor, model: Model): Promise<TLShapeId[]> {
  const layout = await layoutModel(model)
  const origin = editor.getViewportPageBounds()
  const page = editor.getCurrentPageId()
  const ids = new Map<string, TLShapeId>()
  const idFor = (modelId: string) => {
    let id = ids.get(modelId)
    if (!id) {
      id = createShapeId()
      ids.set(modelId, id)
    }
    return id
  }
  const x0 = Math.round(origin.x + 40)
  const y0 = Math.round(origin.y + 80)
  editor.run(() => {
    model.companies.forEach((company, i) => {
      const box = layout.companies[company.id]
      if (!box) return
      editor.createShape({
        id: idFor(`company:${company.id}`),
        type: COMPANY,
        parentId: page,
        x: x0 + box.x,
        y: y0 + box.y,
        props: {
          w: box.w,
          h: box.h,
          name: company.name,
          color: company.color ?? COMPANY_COLORS[i % COMPANY_COLORS.length] ?? '#1971c2',
        },
      })
    })
    for (const market of model.markets) {
      const box = layout.markets[market.id]
      if (!box) continue
      editor.createShape({
        id: idFor(`market:${market.id}`),
        type: MARKET,
        parentId: page,
        x: x0 + box.x,
        y: y0 + box.y,
        props: {
          w: box.w,
          h: box.h,
          name: market.name,
          reach: market.reach,
          p: market.p,
          q: market.q,
        },
      })
    }
    for (const product of model.products) {
      const box = layout.products[product.id]
      if (!box) continue
      const marketId = idFor(`market:${product.market}`)
      editor.createShape({
        id: idFor(`product:${product.id}`),
        type: PRODUCT,
        parentId: marketId,
        x: box.x,
        y: box.y,
        props: {
          w: box.w,
          h: box.h,
          name: product.name,
          company: idFor(`company:${product.company}`),
          market: marketId,
          appeal: product.appeal,
          launchDay: product.launchDay,
          initialUsers: product.initialUsers,
          churn: product.churn,
        },
      })
    }
    for (const link of model.links) {
      editor.createShape({
        id: createShapeId(),
        type: CHAIN_LINK,
        parentId: page,
        x: 0,
        y: 0,
        props: {
          from: idFor(`product:${link.from}`),
          to: idFor(`product:${link.to}`),
          funnel: link.funnel,
          lockIn: link.lockIn,
        },
      })
    }
  })
  return [...ids.values()]
}
