import {
  InstancePresenceRecordType,
  react,
  type Signal,
  type TLInstancePresence,
  type TLStore,
} from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'

/** How often, at most, this client's cursor and viewport go out over awareness. */
const SEND_INTERVAL_MS = 40

/**
 * Carries presence (cursor, name, colour, selection, viewport) over Yjs awareness: this
 * client's presence goes out as the `presence` field of its awareness state, and every other
 * client's state comes in as a tldraw `instance_presence` record, which tldraw draws as live
 * cursors and selections and uses for following a collaborator's viewport.
 */
export class PresenceBridge {
  private readonly cleanups: Array<() => void> = []
  private readonly known = new Set<number>()

  constructor(
    private readonly store: TLStore,
    private readonly awareness: Awareness,
    private readonly presence: Signal<TLInstancePresence | null>,
  ) {}

  /** Starts sending and receiving presence. */
  start(): void {
    let timer: ReturnType<typeof setTimeout> | null = null
    const send = () => {
      timer = null
      this.awareness.setLocalStateField('presence', this.presence.get())
    }
    this.cleanups.push(
      react('chainmap presence out', () => {
        this.presence.get()
        if (timer === null) timer = setTimeout(send, SEND_INTERVAL_MS)
      }),
    )
    this.cleanups.push(() => {
      if (timer !== null) clearTimeout(timer)
    })
    const onChange = () => this.applyRemote()
    this.awareness.on('change', onChange)
    this.cleanups.push(() => this.awareness.off('change', onChange))
    this.applyRemote()
  }

  /** Stops, removing collaborators' presence records and announcing that this client left. */
  dispose(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    this.awareness.setLocalStateField('presence', null)
    const ids = [...this.known].map((clientId) => recordIdFor(clientId))
    this.store.mergeRemoteChanges(() => this.store.remove(ids))
    this.known.clear()
  }

  private applyRemote(): void {
    const puts: TLInstancePresence[] = []
    const seen = new Set<number>()
    for (const [clientId, state] of this.awareness.getStates()) {
      if (clientId === this.awareness.clientID) continue
      const presence = (state as { presence?: TLInstancePresence | null }).presence
      if (!presence) continue
      seen.add(clientId)
      puts.push({ ...presence, id: recordIdFor(clientId) })
    }
    const gone = [...this.known].filter((clientId) => !seen.has(clientId))
    this.known.clear()
    for (const clientId of seen) this.known.add(clientId)
    this.store.mergeRemoteChanges(() => {
      if (puts.length > 0) {
        try {
          this.store.put(puts)
        } catch (error) {
          console.warn('chainmap: ignored a collaborator presence it could not read', error)
        }
      }
      if (gone.length > 0) this.store.remove(gone.map(recordIdFor))
    })
  }
}

function recordIdFor(clientId: number) {
  return InstancePresenceRecordType.createId(`yjs-${clientId}`)
}
