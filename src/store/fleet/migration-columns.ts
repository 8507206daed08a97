// What every fleet migration shares: the dialect, the untyped Kysely migrations run against
// (the tables do not exist yet, as in Kysely's own migrations), and the one column type that
// differs between SQLite and PostgreSQL — the generated integer id.
import type { ColumnDefinitionBuilder, Kysely } from 'kysely'

export type FleetDialect = 'sqlite' | 'postgres'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>

/**
 * @example const { id, idType } = idColumns('postgres'); table.addColumn('id', idType, id)
 */
export function idColumns(dialect: FleetDialect): {
  id: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder
  idType: 'integer' | 'bigint'
} {
  return {
    id: (column) =>
      dialect === 'sqlite'
        ? column.primaryKey().autoIncrement()
        : column.primaryKey().generatedByDefaultAsIdentity(),
    idType: dialect === 'sqlite' ? 'integer' : 'bigint',
  }
}
