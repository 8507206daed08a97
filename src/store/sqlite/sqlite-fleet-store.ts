// The fleet store on an embedded SQLite file: the console's default, nothing to install.
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { DriftwatchError } from '../../errors/index.js'
import type { FleetStore } from '../fleet-store.js'
import type { FleetDatabase } from '../fleet/fleet-database.js'
import { KyselyFleetStore, SIZE_QUERIES } from '../fleet/kysely-fleet-store.js'

/**
 * @example const store = await openSqliteFleetStore('/var/lib/driftwatch/console.db')
 */
export async function openSqliteFleetStore(
  file: string,
  options: { mustExist?: boolean } = {},
): Promise<FleetStore> {
  let database: Database.Database
  try {
    database = new Database(file, { fileMustExist: options.mustExist === true })
  } catch (error) {
    throw new DriftwatchError(
      'DW_ERR_IO',
      `cannot open the console database ${file}: ${(error as Error).message}`,
    )
  }
  // WAL lets the API read while an ingest writes; NORMAL sync is durable across a process crash
  // (only an OS crash can lose the last transactions, which agents then re-send).
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = NORMAL')
  database.pragma('busy_timeout = 10000')
  database.pragma('foreign_keys = ON')
  // A fleet's database is hundreds of MiB of B-trees that every ingest touches at random
  // places: SQLite's default 2 MiB page cache makes each touch a system call.
  database.pragma('cache_size = -262144')
  database.pragma('mmap_size = 1073741824')
  database.pragma('temp_store = memory')
  const db = new Kysely<FleetDatabase>({ dialect: new SqliteDialect({ database }) })
  const store = new KyselyFleetStore(db, 'sqlite', async () => {
    const { rows } = await SIZE_QUERIES.sqlite.execute(db)
    return Number(rows[0]?.bytes ?? 0)
  })
  await store.migrate()
  return store
}
