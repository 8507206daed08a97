// Opens the fleet store a URL names: `postgres://…` for PostgreSQL, anything else is a SQLite file.
import type { FleetStore } from './fleet-store.js'
import {
  openPostgresFleetStore,
  type PostgresFleetOptions,
} from './postgres/postgres-fleet-store.js'
import { openSqliteFleetStore } from './sqlite/sqlite-fleet-store.js'

export function openFleetStore(
  location: string,
  options: PostgresFleetOptions & { mustExist?: boolean } = {},
): Promise<FleetStore> {
  return /^postgres(ql)?:\/\//.test(location)
    ? openPostgresFleetStore(location, options)
    : openSqliteFleetStore(location, options)
}
