import type { ServerProcess } from './serverProcess.js'

/** The value of the unlabelled metric `name` in `node`'s `/metrics`, or NaN when it is absent. */
export async function metricValue(node: ServerProcess, name: string): Promise<number> {
  const text = await (await fetch(`${node.http}/metrics`)).text()
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `))
  return Number(line?.split(' ')[1] ?? Number.NaN)
}
