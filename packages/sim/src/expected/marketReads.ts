import type { CompiledModel } from '../engine/CompiledModel.js'

/**
 * Which other markets each market's one-step transition reads (at the start of the step), given
 * the launched products: the markets of lock-in partners of its products (churn), of funnel
 * sources into its products (adoption), and, when ecosystem pull acts (pull ≠ 0 and at least two
 * launched products to choose between), every market holding a launched product of one of its
 * products' companies.
 *
 * @param compiled - the model
 * @param launched - 1 for each launched product
 * @returns for each market index, the set of market indices it reads
 */
export function marketReads(compiled: CompiledModel, launched: Uint8Array): Set<number>[] {
  const reads = Array.from({ length: compiled.marketCount }, () => new Set<number>())
  const add = (market: number, product: number) => {
    const source = compiled.productMarket[product]!
    if (launched[product] === 1 && source !== market) reads[market]!.add(source)
  }
  for (let link = 0; link < compiled.linkCount; link++) {
    const from = compiled.linkFrom[link]!
    const to = compiled.linkTo[link]!
    if (launched[from] !== 1 || launched[to] !== 1) continue
    if (compiled.lockIn[link]! > 0) {
      add(compiled.productMarket[from]!, to)
      add(compiled.productMarket[to]!, from)
    }
    if (compiled.funnel[link]! > 0) add(compiled.productMarket[to]!, from)
  }
  if (compiled.model.ecosystemPull !== 0) {
    for (let market = 0; market < compiled.marketCount; market++) {
      const own = (compiled.marketProducts[market] ?? []).filter((p) => launched[p] === 1)
      if (own.length < 2) continue
      const companies = new Set(own.map((p) => compiled.productCompany[p]))
      for (let product = 0; product < compiled.productCount; product++) {
        if (companies.has(compiled.productCompany[product]!)) add(market, product)
      }
    }
  }
  return reads
}

/**
 * Markets whose holdings evolve independently of every other market: they read none and none
 * reads them. Their distribution is a product factor of the joint one, so the expected engine
 * carries them as a small vector instead of a coordinate of the joint state.
 *
 * @param compiled - the model
 * @param reads - the result of {@link marketReads}
 * @returns 1 for each isolated market
 */
export function isolatedMarkets(
  compiled: CompiledModel,
  reads: readonly Set<number>[],
): Uint8Array {
  const isolated = new Uint8Array(compiled.marketCount).fill(1)
  reads.forEach((read, market) => {
    if (read.size > 0) isolated[market] = 0
    for (const source of read) isolated[source] = 0
  })
  return isolated
}
