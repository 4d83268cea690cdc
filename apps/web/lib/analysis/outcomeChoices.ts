import { formatOutcome, type Model, type Outcome } from '@chainmap/sim'

/** One outcome a person can pick, with its label. */
export interface OutcomeChoice {
  /** The sim's text form (`company-share:ali/purchasing`), unique: use it as the option value. */
  readonly value: string
  /** The outcome. */
  readonly outcome: Outcome
  /** What the picker shows, in the board's names (`Ali — share of Cross-border purchasing`). */
  readonly label: string
  /** How to show its values. */
  readonly format: 'share' | 'count' | 'days' | 'depth'
}

/**
 * The outcomes at the horizon worth analysing on a model, companies' market shares first (the
 * question boards are drawn to answer), then products' shares and users, companies' users and
 * ecosystem depth, and products' expected lifetimes.
 *
 * @param model - a model (ids and names are all that is read)
 * @returns the choices
 */
export function outcomeChoices(model: Model): OutcomeChoice[] {
  const name = (list: readonly { id: string; name: string }[], id: string) =>
    list.find((item) => item.id === id)?.name || id
  const choices: OutcomeChoice[] = []
  const add = (outcome: Outcome, label: string, format: OutcomeChoice['format']) =>
    choices.push({ value: formatOutcome(outcome), outcome, label, format })
  for (const company of model.companies) {
    const markets = new Set(
      model.products.filter((p) => p.company === company.id).map((p) => p.market),
    )
    for (const market of model.markets) {
      if (!markets.has(market.id)) continue
      add(
        { kind: 'companyShare', company: company.id, market: market.id },
        `${company.name || company.id} — share of ${market.name || market.id}`,
        'share',
      )
    }
  }
  for (const product of model.products) {
    add({ kind: 'share', product: product.id }, `${product.name || product.id} — share`, 'share')
  }
  for (const product of model.products) {
    add({ kind: 'users', product: product.id }, `${product.name || product.id} — users`, 'count')
  }
  for (const company of model.companies) {
    add(
      { kind: 'companyUsers', company: company.id },
      `${name(model.companies, company.id)} — users`,
      'count',
    )
    add(
      { kind: 'companyDepth', company: company.id },
      `${name(model.companies, company.id)} — ecosystem depth`,
      'depth',
    )
  }
  for (const product of model.products) {
    add(
      { kind: 'lifetime', product: product.id },
      `${product.name || product.id} — expected lifetime`,
      'days',
    )
  }
  return choices
}

/**
 * The parameters a person can override or goal-seek on a model, with labels in its names:
 * products' appeal, launch day, initial users and churn; links' funnel and lock-in; markets'
 * reach, p and q; the network effect and ecosystem pull; then the links not drawn yet between
 * a company's own products in different markets.
 */
export function parameterChoices(model: Model): Array<{ value: string; label: string }> {
  const productName = (id: string) => model.products.find((p) => p.id === id)?.name || id
  const out: Array<{ value: string; label: string }> = []
  for (const link of model.links) {
    for (const field of ['funnel', 'lockIn']) {
      out.push({
        value: `links.${link.from}->${link.to}.${field}`,
        label: `${productName(link.from)} → ${productName(link.to)} · ${field}`,
      })
    }
  }
  for (const product of model.products) {
    for (const field of ['appeal', 'churn', 'initialUsers', 'launchDay']) {
      out.push({
        value: `products.${product.id}.${field}`,
        label: `${product.name || product.id} · ${field}`,
      })
    }
  }
  for (const market of model.markets) {
    for (const field of ['reach', 'p', 'q']) {
      out.push({
        value: `markets.${market.id}.${field}`,
        label: `${market.name || market.id} · ${field}`,
      })
    }
  }
  for (const field of ['networkEffect', 'ecosystemPull']) {
    out.push({ value: `settings.${field}`, label: `settings · ${field}` })
  }
  // Links nobody has drawn yet, between a company's own products in different markets: "what if
  // the giant funnelled its shoppers into its purchasing app?" (the sim adds such a link).
  const linked = new Set(model.links.map((link) => `${link.from}->${link.to}`))
  for (const from of model.products) {
    for (const to of model.products) {
      if (from.company !== to.company || from.market === to.market) continue
      if (linked.has(`${from.id}->${to.id}`)) continue
      for (const field of ['funnel', 'lockIn']) {
        out.push({
          value: `links.${from.id}->${to.id}.${field}`,
          label: `${productName(from.id)} → ${productName(to.id)} · ${field} (new link)`,
        })
      }
    }
  }
  return out
}
