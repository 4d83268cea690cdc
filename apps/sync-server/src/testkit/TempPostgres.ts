import { execFile, execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './serverProcess.js'

const run = promisify(execFile)

// PostgreSQL refuses to run as root; as root the clusters belong to the `postgres` account.
const asRoot = userInfo().uid === 0

/**
 * The folder of PostgreSQL's server programs (`initdb`, `pg_ctl`, `pg_basebackup`) from
 * `pg_config --bindir`, or `undefined` when they are not installed.
 */
export function postgresBinDir(): string | undefined {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim()
    if (!existsSync(join(dir, 'initdb')) || !existsSync(join(dir, 'pg_basebackup')))
      return undefined
    // As root the clusters must belong to the `postgres` account (see asRoot).
    if (asRoot) execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' })
    return dir
  } catch {
    return undefined
  }
}

// pg_ctl detaches the servers from this process: stop them if it exits with tests unfinished.
const running = new Set<TempPostgres>()
process.on('exit', () => {
  for (const cluster of running) cluster.stopNow()
})

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1 in a temporary folder, as a primary or as a streaming
 * standby of another, for tests that need what one shared server cannot show: a real failover.
 */
export class TempPostgres {
  private listening = 0

  private constructor(
    private readonly bin: string,
    private readonly dir: string,
  ) {}

  /** The port it listens on (127.0.0.1). */
  get port(): number {
    return this.listening
  }

  /** Creates and starts an empty primary (trust authentication, superuser `postgres`). */
  static primary(bin: string): Promise<TempPostgres> {
    return TempPostgres.create(bin, (cluster) =>
      cluster.exec('initdb', ['-D', cluster.data, '-U', 'postgres', '--auth=trust', '--no-sync']),
    )
  }

  /**
   * Creates and starts a standby that streams, asynchronously, from the primary at
   * `127.0.0.1:primaryPort` (the address it keeps replicating from, so a proxy there can cut it off).
   */
  static standbyOf(bin: string, primaryPort: number): Promise<TempPostgres> {
    return TempPostgres.create(bin, (cluster) =>
      cluster.exec('pg_basebackup', [
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
      ]),
    )
  }

  /** Makes the data folder with `init`, then starts; removes everything if either fails. */
  private static async create(
    bin: string,
    init: (cluster: TempPostgres) => Promise<void>,
  ): Promise<TempPostgres> {
    const cluster = new TempPostgres(bin, TempPostgres.newDir())
    try {
      await init(cluster)
      await cluster.start()
      return cluster
    } catch (error) {
      await cluster.destroy()
      throw error
    }
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
    await this.exec('pg_ctl', [...this.stopAtOnce, '-w'])
  }

  /** Stops the server if it runs and removes its folder. */
  async destroy(): Promise<void> {
    await this.crash().catch(() => {})
    running.delete(this)
    rmSync(this.dir, { recursive: true, force: true })
  }

  /** Stops the server at once, synchronously (for the process's exit). */
  stopNow(): void {
    const [command, args] = this.command('pg_ctl', this.stopAtOnce)
    try {
      execFileSync(command, args, { stdio: 'ignore' })
    } catch {
      // already stopped
    }
  }

  private get data(): string {
    return join(this.dir, 'data')
  }

  private get stopAtOnce(): string[] {
    return ['stop', '-m', 'immediate', '-D', this.data]
  }

  /**
   * Starts on a port found free just before (another process may take it first: then it tries
   * another).
   */
  private async start(): Promise<void> {
    running.add(this)
    for (let attempt = 1; ; attempt++) {
      this.listening = await freePort()
      const options = [
        `-p ${this.listening}`,
        '-c listen_addresses=127.0.0.1',
        `-c unix_socket_directories=${this.dir}`,
        // Nothing here must survive a crash of the machine, only of the server.
        '-c fsync=off',
      ].join(' ')
      try {
        await this.exec('pg_ctl', [
          'start',
          '-w',
          '-D',
          this.data,
          '-l',
          join(this.dir, 'server.log'),
          '-o',
          options,
        ])
        return
      } catch (error) {
        if (attempt === 3 || !/could not bind|Address already in use/.test(this.log())) throw error
      }
    }
  }

  private command(program: string, args: readonly string[]): [string, string[]] {
    const path = join(this.bin, program)
    return asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, [...args]]
  }

  private log(): string {
    const log = join(this.dir, 'server.log')
    return existsSync(log) ? readFileSync(log, 'utf8') : ''
  }

  private async exec(program: string, args: readonly string[]): Promise<void> {
    const [command, commandArgs] = this.command(program, args)
    try {
      await run(command, commandArgs, { cwd: this.dir })
    } catch (error) {
      const tail = this.log().split('\n').slice(-20).join('\n')
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
