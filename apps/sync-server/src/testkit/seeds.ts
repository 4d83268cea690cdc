/**
 * The seed of this fuzz run: `CHAINMAP_TEST_SEED` when set (to replay a failure), else a fresh one.
 * Printed, so that any failure can be replayed and then kept as a regression seed.
 */
export function fuzzSeed(label: string): number {
  const fromEnv = process.env.CHAINMAP_TEST_SEED
  const seed = fromEnv ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31)
  console.log(`[${label}] seed=${seed} — replay with CHAINMAP_TEST_SEED=${seed}`)
  return seed
}
