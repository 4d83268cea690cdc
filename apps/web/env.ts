import { z } from 'zod'

const envSchema = z.object({
  CHAINMAP_SYNC_URL: z
    .string()
    .regex(/^wss?:\/\/[^\s]+$/, 'must be a ws:// or wss:// URL')
    .default('ws://localhost:1234'),
  CHAINMAP_AUTH_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (it signs HS256 tokens)')
    .optional(),
  CHAINMAP_TOKEN_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 30),
  NEXT_PUBLIC_TLDRAW_LICENSE_KEY: z.string().min(1).optional(),
  CHAINMAP_INVITE_CODE: z
    .string()
    .min(8, 'must be at least 8 characters (anyone who guesses it can create boards)')
    .optional(),
})

/** Whether this is Next's development server (`next dev`), which sets NODE_ENV so. */
export function isDevelopment(): boolean {
  return process.env.NODE_ENV === 'development'
}

/** The web server's validated settings. */
export type WebEnv = z.infer<typeof envSchema>

let cached: WebEnv | undefined

/**
 * Reads the web app's settings from `process.env` (the one place it is read), validated;
 * a bad value throws an error naming the variable. Read at request time, so the sync URL and
 * secret are runtime settings of `next start`, not baked into the build.
 */
export function readEnv(source: Record<string, string | undefined> = process.env): WebEnv {
  if (source === process.env && cached) return cached
  const parsed = envSchema.safeParse({
    CHAINMAP_SYNC_URL: source.CHAINMAP_SYNC_URL || undefined,
    CHAINMAP_AUTH_SECRET: source.CHAINMAP_AUTH_SECRET || undefined,
    CHAINMAP_TOKEN_TTL_HOURS: source.CHAINMAP_TOKEN_TTL_HOURS || undefined,
    NEXT_PUBLIC_TLDRAW_LICENSE_KEY: source.NEXT_PUBLIC_TLDRAW_LICENSE_KEY || undefined,
    CHAINMAP_INVITE_CODE: source.CHAINMAP_INVITE_CODE || undefined,
  })
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`invalid @chainmap/web settings:\n  ${lines.join('\n  ')}`)
  }
  if (source === process.env) cached = parsed.data
  return parsed.data
}
