import { z } from 'zod'

/** Validated settings of a chainmap-sync process. */
export const settingsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(1234),
  host: z.string().min(1).default('0.0.0.0'),
  data: z.string().min(1).default('./data'),
})

/** Settings after validation. */
export type Settings = z.infer<typeof settingsSchema>

/**
 * Reads the chainmap-sync settings from the environment, the one place `process.env` is read.
 * Flags given on the command line win over the environment.
 */
export function readSettings(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Record<keyof Settings, string>> = {},
): Settings {
  const parsed = settingsSchema.safeParse({
    port: overrides.port ?? env.CHAINMAP_SYNC_PORT,
    host: overrides.host ?? env.CHAINMAP_SYNC_HOST,
    data: overrides.data ?? env.CHAINMAP_DATA,
  })
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`invalid chainmap-sync settings:\n  ${lines.join('\n  ')}`)
  }
  return parsed.data
}
