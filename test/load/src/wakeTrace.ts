import { type LatencySummary, summarize } from './stats.js'

/** One line of `perf script -F tid,cpu,time,event,trace`: a syscall tracepoint or a scheduler event. */
export interface TraceEvent {
  /** Thread id (for a process's main thread, its pid). */
  readonly tid: number
  readonly cpu: number
  /** Seconds, as perf prints them (one clock for every CPU). */
  readonly time: number
  /** The tracepoint's name without its group, e.g. `sys_exit_epoll_pwait`. */
  readonly name: string
  /** The file descriptor of a `read`/`write`/`writev` entry; null otherwise. */
  readonly fd: number | null
  /** The return value of a syscall exit; null otherwise. */
  readonly ret: number | null
}

const LINE = /^\s*(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(?:\w+:)?(\w+):\s*(.*)$/

/**
 * Parses the text of `perf script -F tid,cpu,time,event,trace` (unparseable lines are skipped, so
 * perf's warnings do no harm). Events come back in time order.
 */
export function parsePerfScript(text: string): TraceEvent[] {
  const events: TraceEvent[] = []
  for (const line of text.split('\n')) {
    const match = LINE.exec(line)
    if (!match) continue
    const [, tid, cpu, time, name, args = ''] = match
    const fd = /^fd: (0x[0-9a-f]+)/.exec(args)?.[1]
    const ret = name?.startsWith('sys_exit_') ? syscallReturn(args.trim()) : null
    events.push({
      tid: Number(tid),
      cpu: Number(cpu),
      time: Number(time),
      name: name ?? '',
      fd: fd === undefined ? null : Number.parseInt(fd, 16),
      ret,
    })
  }
  return events.sort((a, b) => a.time - b.time)
}

/** Which threads of a trace are the server's event loop and which the clients'. */
export interface TraceRoles {
  /** The server's main thread (its pid). */
  readonly server: number
  /** The client processes' main threads. */
  readonly clients: readonly number[]
}

/** Where the time between a client's send and a peer's receipt goes, in microseconds. */
export interface WakeBreakdown {
  /** A client's write to the server's return from `epoll_wait`, when the server was asleep in it. */
  readonly serverWake: LatencySummary
  /** The same, when the server woke on the other CPU than the writer's. */
  readonly serverWakeOtherCpu: LatencySummary
  /** The same, when the server woke on the writer's CPU. */
  readonly serverWakeSameCpu: LatencySummary
  /** Writes made while the server was asleep in `epoll_wait` (the rest found it awake). */
  readonly writesFindingServerAsleep: number
  /** All client writes. */
  readonly clientWrites: number
  /** The server's return from a socket `read` to its first write to a socket after it. */
  readonly readToFirstRelay: LatencySummary
  /** The server's socket write to a client process's return from `epoll_wait`, when it was asleep. */
  readonly clientWake: LatencySummary
}

const isWrite = (name: string): boolean => name === 'sys_enter_write' || name === 'sys_enter_writev'
const isSleep = (name: string): boolean => name.startsWith('sys_enter_epoll')
const isWake = (name: string): boolean => name.startsWith('sys_exit_epoll')

/**
 * Splits the path of a relayed update into what the kernel and the hypervisor take (waking a
 * sleeping server or client) and what the server itself takes (from reading the frame to writing
 * the first relay), from a syscall trace of the server and its client processes. Only the server's
 * main thread counts: its event loop is where frames are read and relays written.
 */
export function wakeBreakdown(events: readonly TraceEvent[], roles: TraceRoles): WakeBreakdown {
  const clients = new Set(roles.clients)
  // A socket is a descriptor the server reads from; the rest it writes (a journal, a log) are not relays.
  const sockets = new Set<number>()
  for (const event of events) {
    if (event.tid === roles.server && event.name === 'sys_enter_read' && event.fd !== null) {
      sockets.add(event.fd)
    }
  }
  const serverWake: number[] = []
  const otherCpu: number[] = []
  const sameCpu: number[] = []
  const readToRelay: number[] = []
  const clientWake: number[] = []
  let writesFindingServerAsleep = 0
  let clientWrites = 0
  let lastClientWrite: { time: number; cpu: number } | null = null
  let serverAsleepSince: number | null = null
  let readFd: number | null = null
  let readDoneAt: number | null = null
  let lastRelayAt: number | null = null
  const clientAsleepSince = new Map<number, number>()

  for (const event of events) {
    if (clients.has(event.tid)) {
      if (isWrite(event.name)) {
        clientWrites++
        if (serverAsleepSince !== null) writesFindingServerAsleep++
        lastClientWrite = { time: event.time, cpu: event.cpu }
      } else if (isSleep(event.name)) {
        clientAsleepSince.set(event.tid, event.time)
      } else if (isWake(event.name)) {
        const since = clientAsleepSince.get(event.tid)
        if (since !== undefined && lastRelayAt !== null && lastRelayAt > since) {
          clientWake.push(micros(event.time - lastRelayAt))
        }
        clientAsleepSince.delete(event.tid)
      }
      continue
    }
    if (event.tid !== roles.server) continue
    if (isSleep(event.name)) {
      serverAsleepSince = event.time
    } else if (isWake(event.name)) {
      if (
        serverAsleepSince !== null &&
        lastClientWrite !== null &&
        lastClientWrite.time > serverAsleepSince
      ) {
        const delay = micros(event.time - lastClientWrite.time)
        serverWake.push(delay)
        ;(event.cpu === lastClientWrite.cpu ? sameCpu : otherCpu).push(delay)
      }
      serverAsleepSince = null
    } else if (event.name === 'sys_enter_read') {
      readFd = event.fd
    } else if (event.name === 'sys_exit_read') {
      // A read that found nothing (EAGAIN) or the peer gone starts no relay.
      if (readFd !== null && sockets.has(readFd) && (event.ret ?? 0) > 0) readDoneAt = event.time
    } else if (isWrite(event.name) && event.fd !== null && sockets.has(event.fd)) {
      if (readDoneAt !== null) readToRelay.push(micros(event.time - readDoneAt))
      readDoneAt = null
      lastRelayAt = event.time
    }
  }
  return {
    serverWake: summarize(serverWake),
    serverWakeOtherCpu: summarize(otherCpu),
    serverWakeSameCpu: summarize(sameCpu),
    writesFindingServerAsleep,
    clientWrites,
    readToFirstRelay: summarize(readToRelay),
    clientWake: summarize(clientWake),
  }
}

/** A syscall's return value, which perf prints as 64-bit hex (an error is a negative errno). */
function syscallReturn(hex: string): number | null {
  if (!/^0x[0-9a-f]+$/.test(hex)) return null
  return Number(BigInt.asIntN(64, BigInt(hex)))
}

function micros(seconds: number): number {
  return Math.round(seconds * 1e6)
}
