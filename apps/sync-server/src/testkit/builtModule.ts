import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The built file of one of this package's modules (`storage/SqliteStorage.js`…), for a child
 * process to load; the test task builds the package first.
 */
export function builtModule(path: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', path)
}
