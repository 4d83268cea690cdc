import { parseArgs } from 'node:util'
import { type RawSettings, SETTING_SOURCES, type Settings } from './env.js'

/** A parsed command line. */
export type Command =
  | { readonly name: 'serve'; readonly overrides: RawSettings }
  | { readonly name: 'help' }
  | {
      readonly name: 'token'
      readonly room: string
      readonly role: string
      readonly expires: string
    }
  | { readonly name: 'revoke'; readonly room: string; readonly overrides: RawSettings }
  | {
      readonly name: 'restore'
      readonly room: string
      readonly file: string
      readonly overrides: RawSettings
    }
  | {
      readonly name: 'export'
      readonly room: string
      readonly file: string
      readonly overrides: RawSettings
    }

const settingFlags = Object.fromEntries(
  Object.values(SETTING_SOURCES)
    .filter((source) => source.flag !== undefined)
    .map((source) => [
      source.flag as string,
      source.switch ? { type: 'boolean' as const } : { type: 'string' as const },
    ]),
)

function overridesFrom(values: Record<string, unknown>): RawSettings {
  const overrides: RawSettings = {}
  for (const [key, source] of Object.entries(SETTING_SOURCES)) {
    const value = source.flag ? values[source.flag] : undefined
    if (typeof value === 'string') overrides[key as keyof Settings] = value
    else if (value === true) overrides[key as keyof Settings] = 'true'
  }
  return overrides
}

function required(values: Record<string, unknown>, name: string, command: string): string {
  const value = values[name]
  if (typeof value !== 'string' || value === '') {
    throw new Error(`chainmap-sync ${command}: --${name} is required (see --help)`)
  }
  return value
}

/** Parses `argv` (without node and script); throws an error naming the bad flag. */
export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv
  const sub = first && !first.startsWith('-') ? first : 'serve'
  const args = sub === first ? rest : [...argv]
  const { values } = parseArgs({
    args,
    options: {
      ...settingFlags,
      help: { type: 'boolean', short: 'h' },
      room: { type: 'string' },
      role: { type: 'string' },
      expires: { type: 'string' },
      file: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  })
  if (values.help) return { name: 'help' }
  switch (sub) {
    case 'serve':
      return { name: 'serve', overrides: overridesFrom(values) }
    case 'token':
      return {
        name: 'token',
        room: required(values, 'room', sub),
        role: typeof values.role === 'string' ? values.role : 'edit',
        expires: typeof values.expires === 'string' ? values.expires : '24h',
      }
    case 'revoke':
      return {
        name: 'revoke',
        room: required(values, 'room', sub),
        overrides: overridesFrom(values),
      }
    case 'restore':
    case 'export':
      return {
        name: sub,
        room: required(values, 'room', sub),
        file: required(values, 'file', sub),
        overrides: overridesFrom(values),
      }
    default:
      throw new Error(`chainmap-sync: unknown command "${sub}" (see --help)`)
  }
}

/** The `--help` text, listing every setting with its flag, variable and default. */
export function helpText(defaults: Settings): string {
  const lines = [
    'chainmap-sync — self-hosted, durable, authenticated y-websocket sync server',
    '',
    'Usage:',
    '  chainmap-sync [serve] [--port 1234] [--host 0.0.0.0] [--data ./data] [flags]',
    '      needs CHAINMAP_AUTH_SECRET, or --open to serve every board to anyone who reaches it',
    '  chainmap-sync token --room <room> [--role edit|view] [--expires 24h]',
    '      mint a token (needs CHAINMAP_AUTH_SECRET)',
    '  chainmap-sync export --room <room> --file <out.ydoc> [--data ./data]',
    '      write a room’s stored state to a file (server may be running)',
    '  chainmap-sync revoke --room <room> --revocations <file>',
    '      refuse every link to the room issued until now (running servers re-read the file)',
    '  chainmap-sync restore --room <room> --file <in.ydoc> [--data ./data]',
    '      replace a room’s stored state with a snapshot (stop the server first)',
    '',
    'Settings (flag / environment variable, default):',
  ]
  for (const [key, source] of Object.entries(SETTING_SOURCES)) {
    const value = defaults[key as keyof Settings]
    const flag = source.flag ? `--${source.flag}` : '(env only)'
    lines.push(
      `  ${flag.padEnd(28)} ${source.env.padEnd(34)} ${value === undefined ? '-' : String(value)}`,
    )
    lines.push(`      ${source.help}`)
  }
  lines.push('', 'Flags win over environment variables. Docs: docs/self-hosting.md')
  return lines.join('\n')
}
