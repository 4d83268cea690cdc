import { execFile, execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './serverProcess.js'

const run = promisify(execFile)

/**
 * The folder of PostgreSQL's server programs (`initdb`, `pg_ctl`, `pg_basebackup`) from
 * `pg_config --bindir`, or `undefined` when they are not installed.
 */
export function postgresBinDir(): string | undefined {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim()
    return existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_basebackup'))
      ? dir
      : undefined
  } catch {
    return undefined
  }
}

// PostgreSQL refuses to run as root; as root the clusters belong to the `postgres` account.
const asRoot = userInfo().uid === 0

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1 in a temporary folder, as a primary or as a streaming
 * standby of another, for tests that need what one shared server cannot show: a real failover.
 */
export class TempPostgres {
  private constructor(
    private readonly bin: string,
    private readonly dir: string,
    /** The port it listens on (127.0.0.1). */
    readonly port: number,
  ) {}

  /** Creates and starts an empty primary (trust authentication, superuser `postgres`). */
  static async primary(bin: string): Promise<TempPostgres> {
    const cluster = new TempPostgres(bin, TempPostgres.newDir(), await freePort())
    await cluster.exec('initdb', [
      '-D',
      cluster.data,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
    ])
    await cluster.start()
    return cluster
  }

  /**
   * Creates and starts a standby that streams, asynchronously, from the primary at
   * `127.0.0.1:primaryPort` (the address it keeps replicating from, so a proxy there can cut it off).
   */
  static async standbyOf(bin: string, primaryPort: number): Promise<TempPostgres> {
    const cluster = new TempPostgres(bin, TempPostgres.newDir(), await freePort())
    await cluster.exec('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      cluster.data,
      '-R',
      '-X',
      'stream',
      '--no-sync',
    ])
    await cluster.start()
    return cluster
  }

  /** A connection URL for `database` (default `postgres`). */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`
  }

  /** Promotes a standby to primary and waits until it accepts writes. */
  async promote(): Promise<void> {
    await this.exec('pg_ctl', ['promote', '-w', '-D', this.data])
  }

  /** Stops at once, without a checkpoint, as a crashed server would. */
  async crash(): Promise<void> {
    await this.exec('pg_ctl', ['stop', '-m', 'immediate', '-w', '-D', this.data])
  }

  /** Stops the server if it runs and removes its folder. */
  async destroy(): Promise<void> {
    await this.exec('pg_ctl', ['stop', '-m', 'immediate', '-w', '-D', this.data]).catch(() => {})
    rmSync(this.dir, { recursive: true, force: true })
  }

  private get data(): string {
    return join(this.dir, 'data')
  }

  private start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.dir}`,
      // Nothing here must survive a crash of the machine, only of the server.
      '-c fsync=off',
    ].join(' ')
    return this.exec('pg_ctl', [
      'start',
      '-w',
      '-D',
      this.data,
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      options,
    ])
  }

  private async exec(program: string, args: readonly string[]): Promise<void> {
    const path = join(this.bin, program)
    const [command, commandArgs] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', path, ...args]]
      : [path, [...args]]
    try {
      await run(command, commandArgs, { cwd: this.dir })
    } catch (error) {
      const log = join(this.dir, 'server.log')
      const tail = existsSync(log)
        ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n')
        : ''
      throw new Error(`${program} ${args.join(' ')} failed: ${(error as Error).message}\n${tail}`)
    }
  }

  private static newDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'chainmap-pg-'))
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
      chownSync(dir, uid, gid)
    }
    return dir
  }
}
