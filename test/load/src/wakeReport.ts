// Prints where a relayed update's time goes, from a syscall trace of a server and its clients
// (recorded by scripts/record-wakeups.sh; see docs/benchmarks.md, "Where the light-load gap goes"):
//   node dist/wakeReport.js <perf-script.txt> --server=<pid> --clients=<pid>,<pid> [--label=<name>]
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { LatencySummary } from './stats.js'
import { parsePerfScript, wakeBreakdown } from './wakeTrace.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string' },
    clients: { type: 'string' },
    label: { type: 'string' },
  },
})
const [file] = positionals
const server = Number(values.server)
const clients = (values.clients ?? '').split(',').filter(Boolean).map(Number)
if (!file || !Number.isInteger(server) || clients.length === 0 || clients.some(Number.isNaN)) {
  console.error(
    'usage: node dist/wakeReport.js <perf-script.txt> --server=<pid> --clients=<pid>,<pid> [--label=<name>]',
  )
  process.exit(2)
}

const breakdown = wakeBreakdown(parsePerfScript(readFileSync(file, 'utf8')), { server, clients })
const cell = (s: LatencySummary) => `${s.p50} / ${s.p99} µs (${s.count})`
const asleep = (100 * breakdown.writesFindingServerAsleep) / Math.max(1, breakdown.clientWrites)
console.log(
  `| ${values.label ?? file} | ${asleep.toFixed(0)} % | ${cell(breakdown.serverWake)} | ${cell(breakdown.serverWakeOtherCpu)} | ${cell(breakdown.serverWakeSameCpu)} | ${cell(breakdown.readToFirstRelay)} | ${cell(breakdown.clientWake)} |`,
)
