// `driftwatch history`: past checks and acceptances, newest first.
import { SqliteLocalStore, type AcceptanceRecord, type StoredCheck } from '../store/index.js'
import { requireHeader } from './baseline-verification.js'

export interface History {
  readonly baselineVersion: number
  readonly createdAt: string
  readonly checks: readonly StoredCheck[]
  readonly acceptances: readonly AcceptanceRecord[]
}

export function readHistory(options: { db: string; limit: number }): History {
  const store = SqliteLocalStore.open(options.db, { create: false })
  try {
    const header = requireHeader(store, options.db)
    return {
      baselineVersion: header.version,
      createdAt: header.createdAt,
      checks: store.listChecks(options.limit),
      acceptances: store.acceptances().reverse(),
    }
  } finally {
    store.close()
  }
}
