import { describe, expect, it } from 'vitest'
import { modelJsonSchema } from './modelJsonSchema.js'

describe('modelJsonSchema', () => {
  it('describes every top-level field of the format', () => {
    const schema = modelJsonSchema() as { properties: Record<string, unknown>; required: string[] }
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        'companies',
        'ecosystemPull',
        'horizonDays',
        'links',
        'markets',
        'networkEffect',
        'population',
        'products',
        'seed',
        'stepDays',
        'version',
      ].sort(),
    )
    expect(schema.required).toContain('products')
    expect(JSON.stringify(schema)).toContain('"minimum":0')
  })
})
