// The fleet store on PostgreSQL, for fleets: several consoles share one database.
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { DriftwatchError } from '../../errors/index.js'
import type { FleetStore } from '../fleet-store.js'
import type { FleetDatabase } from '../fleet/fleet-database.js'
import { KyselyFleetStore, SIZE_QUERIES } from '../fleet/kysely-fleet-store.js'

const INT8_OID = 20

const readBigintAsNumber = ((oid: number, format?: 'text' | 'binary'): unknown =>
  oid === INT8_OID
    ? (value: string): number => Number(value)
    : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser

export interface PostgresFleetOptions {
  readonly maxConnections?: number | undefined
}

/**
 * @example const store = await openPostgresFleetStore('postgres://driftwatch@db/driftwatch')
 */
export async function openPostgresFleetStore(
  url: string,
  options: PostgresFleetOptions = {},
): Promise<FleetStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // Ids and sequences are bigint: read them as numbers (they stay far below 2^53).
    types: { getTypeParser: readBigintAsNumber },
  })
  // An idle connection the server ends (a restart, an administrator's pg_terminate_backend, a
  // dropped database) is an 'error' on the pool: without a listener it would end the process.
  // The pool has already discarded that connection; the next query opens another or fails with
  // its own error, where the caller sees it.
  pool.on('error', () => undefined)
  // The tables go where the connection's search path says (docs/console.md); the migrator must
  // look for its own tables there, not take a same-named table of another schema for them.
  let schema: string
  try {
    const { rows } = await pool.query<{ schema: string }>('select current_schema() as schema')
    schema = rows[0]?.schema ?? 'public'
  } catch (error) {
    await pool.end()
    throw unreachable(url, error)
  }
  const db = new Kysely<FleetDatabase>({ dialect: new PostgresDialect({ pool }) })
  const store = new KyselyFleetStore(
    db,
    'postgres',
    async () => {
      const { rows } = await SIZE_QUERIES.postgres.execute(db)
      return Number(rows[0]?.bytes ?? 0)
    },
    schema,
  )
  try {
    await store.migrate()
  } catch (error) {
    await store.close()
    throw unreachable(url, error)
  }
  return store
}

/** Codes of a server that cannot be reached or will not let us in (not of a bad query). */
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
  '28P01', // wrong password
  '28000', // no such role, or not allowed from this host
  '3D000', // no such database
])

/** A database that is not there is named (without its password), not shown as a stack trace. */
function unreachable(url: string, error: unknown): unknown {
  const code = (error as { code?: string }).code
  if (code === undefined || !CONNECTION_FAILURES.has(code)) return error
  const where = new URL(url)
  where.password = ''
  return new DriftwatchError(
    'DW_ERR_CONSOLE_UNREACHABLE',
    `cannot use the PostgreSQL database ${where.href}: ${(error as Error).message}`,
    { cause: error },
  )
}
