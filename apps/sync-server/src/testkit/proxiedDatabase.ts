import { TcpProxy } from './TcpProxy.js'

/** A {@link TcpProxy} in front of the PostgreSQL at `databaseUrl`, and the URL that goes through it. */
export async function proxiedDatabase(
  databaseUrl: string,
): Promise<{ proxy: TcpProxy; through: string }> {
  const database = new URL(databaseUrl)
  const proxy = await TcpProxy.start(database.hostname, Number(database.port || 5432))
  const through = new URL(databaseUrl)
  through.hostname = '127.0.0.1'
  through.port = String(proxy.port)
  return { proxy, through: through.toString() }
}
