// The console's database, opened by the commands that read it directly (audit verify, evidence,
// hypervisor, vms): found as `serve` finds it, never created (a wrong path must not look like an
// empty, intact console), and closed whatever happens.
import { loadConsoleConfigModule, type ConsoleFlags } from '../../config/index.js'
import type { FleetStore } from '../../store/index.js'
import type { CliIo } from '../cli-io.js'

/** The flags that say where the console's database is. */
export const CONSOLE_STORE_FLAGS: readonly [string, string][] = [
  ['--data <dir>', "the console's data directory (default .driftwatch/console)"],
  ['--db <url>', 'postgres://… or a SQLite file (default DATA/console.db)'],
]

/** @example await withConsoleStore(flags, io, (store) => store.listHypervisors()) */
export async function withConsoleStore<T>(
  flags: ConsoleFlags,
  io: CliIo,
  use: (store: FleetStore, dataDir: string) => Promise<T>,
): Promise<T> {
  const { resolveConsoleConfig } = await loadConsoleConfigModule()
  const config = resolveConsoleConfig(flags, io.env)
  const { openFleetStore } = await (await import('../../store/index.js')).loadFleetStoreModule()
  const store = await openFleetStore(config.database, { mustExist: true })
  try {
    return await use(store, config.dataDir)
  } finally {
    await store.close()
  }
}
