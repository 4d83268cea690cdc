import { describe, expect, it } from 'vitest'
import { parsePerfScript, wakeBreakdown } from './wakeTrace.js'

// perf script -F tid,cpu,time,event,trace, as perf 6.1 prints it (server 10, clients 20 and 21).
const TRACE = `
   10 [001]  100.000000: syscalls:sys_enter_epoll_pwait: epfd: 0x0000000f, events: 0x7ffc, maxevents: 0x00000400, timeout: 0xffffffff, sigmask: 0x00000000, sigsetsize: 0x00000008
   21 [001]  100.000010: syscalls:sys_enter_epoll_pwait: epfd: 0x00000003, events: 0x7ffc, maxevents: 0x00000400, timeout: 0x00000001, sigmask: 0x00000000, sigsetsize: 0x00000008
   20 [000]  100.000100:       syscalls:sys_enter_write: fd: 0x00000016, buf: 0x24779370, count: 0x00000048
   20 [000]  100.000106:        syscalls:sys_exit_write: 0x48
   10 [001]  100.000184:  syscalls:sys_exit_epoll_pwait: 0x1
   10 [001]  100.000190:        syscalls:sys_enter_read: fd: 0x00000005, buf: 0x1ba06c60, count: 0x00010000
   10 [001]  100.000192:         syscalls:sys_exit_read: 0x48
   10 [001]  100.000250:       syscalls:sys_enter_write: fd: 0x00000018, buf: 0x1bc3bfe8, count: 0x00000051
   10 [001]  100.000253:        syscalls:sys_exit_write: 0x51
   10 [001]  100.000262:       syscalls:sys_enter_write: fd: 0x00000006, buf: 0x1bc3c040, count: 0x00000045
   10 [001]  100.000270:        syscalls:sys_exit_write: 0x45
   21 [000]  100.000300:  syscalls:sys_exit_epoll_pwait: 0x1
   10 [001]  100.000320:       syscalls:sys_enter_read: fd: 0x00000006, buf: 0x1ba06c60, count: 0x00010000
   10 [001]  100.000321:         syscalls:sys_exit_read: 0xfffffffffffffff5
   10 [001]  100.000330: syscalls:sys_enter_epoll_pwait: epfd: 0x0000000f, events: 0x7ffc, maxevents: 0x00000400, timeout: 0xffffffff, sigmask: 0x00000000, sigsetsize: 0x00000008
   10 [001]  100.000331:             sched:sched_switch: prev_comm=MainThread prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120
   20 [000]  100.001000:       syscalls:sys_enter_write: fd: 0x00000016, buf: 0x24779370, count: 0x00000048
   10 [000]  100.001040:  syscalls:sys_exit_epoll_pwait: 0x1
   10 [000]  100.001045:        syscalls:sys_enter_read: fd: 0x00000005, buf: 0x1ba06c60, count: 0x00010000
   10 [000]  100.001046:         syscalls:sys_exit_read: 0x48
   10 [000]  100.001100:       syscalls:sys_enter_write: fd: 0x00000006, buf: 0x1bc3c040, count: 0x00000045
   20 [000]  100.001200:       syscalls:sys_enter_write: fd: 0x00000016, buf: 0x24779370, count: 0x00000048
Warning: 3 out of order events recorded.
`

describe('parsePerfScript', () => {
  it('reads thread, CPU, time, tracepoint, descriptor and return value', () => {
    const events = parsePerfScript(TRACE)
    expect(events).toHaveLength(22)
    expect(events[2]).toEqual({
      tid: 20,
      cpu: 0,
      time: 100.0001,
      name: 'sys_enter_write',
      fd: 0x16,
      ret: null,
    })
    expect(events.find((e) => e.name === 'sys_exit_read')?.ret).toBe(0x48)
    // EAGAIN, printed as 64-bit hex.
    expect(events.filter((e) => e.name === 'sys_exit_read')[1]?.ret).toBe(-11)
    expect(events.find((e) => e.name === 'sched_switch')?.fd).toBeNull()
  })
})

describe('wakeBreakdown', () => {
  const breakdown = wakeBreakdown(parsePerfScript(TRACE), { server: 10, clients: [20, 21] })

  it('times the server waking after a client write that found it asleep, by CPU', () => {
    expect(breakdown.serverWake.count).toBe(2)
    expect(breakdown.serverWakeOtherCpu).toMatchObject({ count: 1, p50: 84 })
    expect(breakdown.serverWakeSameCpu).toMatchObject({ count: 1, p50: 40 })
    // The third write found the server awake.
    expect(breakdown.clientWrites).toBe(3)
    expect(breakdown.writesFindingServerAsleep).toBe(2)
  })

  it('times a socket read to the first socket write, not to a write to a file it never reads', () => {
    expect(breakdown.readToFirstRelay.count).toBe(2)
    expect(breakdown.readToFirstRelay.p50).toBe(54)
    expect(breakdown.readToFirstRelay.max).toBe(70)
  })

  it('times a relay to the wake of a client that slept through it', () => {
    expect(breakdown.clientWake).toMatchObject({ count: 1, p50: 38 })
  })
})
