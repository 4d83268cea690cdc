import { Redis } from 'ioredis'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from '../testkit/clients.js'
import { services, uniqueName } from '../testkit/services.js'
import type { FanoutEvent } from './fanout.js'
import { RedisFanout } from './RedisFanout.js'

const env = services('RedisFanout (real Redis)', ['REDIS_URL'])
const open: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of open.splice(0)) await item.close()
})

function fanout(prefix: string, malformed: string[] = []): RedisFanout {
  const node = new RedisFanout({
    url: env?.redisUrl ?? '',
    prefix,
    onMalformed: (reason) => malformed.push(reason),
  })
  open.push(node)
  return node
}

// Skipped only when REDIS_URL is missing outside CI; `services` says so loudly.
describe.skipIf(!env)('RedisFanout', () => {
  it('carries updates with their seq and awareness to other nodes, never back to the sender', async () => {
    const prefix = `${uniqueName('fan')}:`
    const [a, b] = [fanout(prefix), fanout(prefix)]
    const atA: FanoutEvent[] = []
    const atB: FanoutEvent[] = []
    a.subscribe('room', (event) => atA.push(event))
    const stopB = b.subscribe('room', (event) => atB.push(event))
    await waitFor(async () => {
      await Promise.all([a.ping(), b.ping()]).catch(() => {})
      a.publish('room', { kind: 'awareness', update: new Uint8Array([9]) })
      await new Promise((resolve) => setTimeout(resolve, 20))
      return atB.length > 0
    }, 'the subscription to be live')
    atB.length = 0
    a.publish('room', { kind: 'update', seq: 41, update: new Uint8Array([1, 2, 3]) })
    a.publish('room', { kind: 'awareness', update: new Uint8Array([4]) })
    a.publish('other', { kind: 'update', seq: 1, update: new Uint8Array([5]) })
    await waitFor(() => atB.length === 2, 'both events at b')
    expect(atB).toEqual([
      { kind: 'update', seq: 41, update: new Uint8Array([1, 2, 3]) },
      { kind: 'awareness', update: new Uint8Array([4]) },
    ])
    expect(atA).toEqual([])
    stopB()
    a.publish('room', { kind: 'update', seq: 42, update: new Uint8Array([6]) })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(atB).toHaveLength(2)
  })

  it('drops foreign or unapplicable messages with a note instead of crashing', async () => {
    const prefix = `${uniqueName('fan')}:`
    const malformed: string[] = []
    const node = fanout(prefix, malformed)
    node.subscribe('room', (event) => {
      if (event.kind === 'update') throw new Error('corrupt update')
    })
    const raw = new Redis(env?.redisUrl ?? '')
    open.push({ close: async () => void (await raw.quit()) })
    const sender = fanout(prefix)
    await waitFor(async () => {
      await raw.publish(`${prefix}room:room`, Buffer.from('not ours'))
      await new Promise((resolve) => setTimeout(resolve, 20))
      return malformed.length > 0
    }, 'the foreign message to be noted')
    expect(malformed[0]).toContain('unknown fan-out message format')
    await waitFor(async () => {
      // Publishing is skipped until the sender's connection is ready: retry until one lands.
      sender.publish('room', { kind: 'update', seq: 1, update: new Uint8Array([1]) })
      await new Promise((resolve) => setTimeout(resolve, 20))
      return malformed.some((m) => m.includes('could not be applied'))
    }, 'the throw to be noted')
  })
})
