// `driftwatch history`: past checks and acceptances, newest first — verified against the signed
// baseline when the key is at hand, and marked as unverified when it is not.
import { DriftwatchError } from '../errors/index.js'
import { SqliteLocalStore, type AcceptanceRecord, type StoredCheck } from '../store/index.js'
import {
  checkRecordStatus,
  loadVerifiedBaseline,
  requireHeader,
  type CheckRecordStatus,
} from './baseline-verification.js'
import { existingSigningKey, type KeySource } from './key-source.js'

export interface HistoryCheck extends StoredCheck {
  /** Whether the record is as the check signed it; null when there was no key to verify with. */
  readonly record: CheckRecordStatus | null
}

export interface History {
  readonly baselineVersion: number
  readonly createdAt: string
  /** The baseline and its record of acceptances verified against the signature. */
  readonly verified: boolean
  readonly checks: readonly HistoryCheck[]
  readonly acceptances: readonly AcceptanceRecord[]
}

/**
 * @throws DriftwatchError DW_ERR_BASELINE_TAMPERED when the key is at hand and the baseline or
 *   its acceptances do not match the signature
 */
export function readHistory(options: { db: string; key: KeySource; limit: number }): History {
  const store = SqliteLocalStore.open(options.db, { create: false })
  try {
    const header = requireHeader(store, options.db)
    let key
    try {
      key = existingSigningKey(options.key, header)
    } catch (error) {
      if (!(error instanceof DriftwatchError) || error.code !== 'DW_ERR_KEY_MISSING') throw error
    }
    if (key !== undefined) loadVerifiedBaseline(store, header, key, options.db)
    const verifier = key
    return {
      baselineVersion: header.version,
      createdAt: header.createdAt,
      verified: verifier !== undefined,
      checks: store.listChecks(options.limit).map((check) => ({
        ...check,
        record:
          verifier === undefined
            ? null
            : checkRecordStatus(check, store.checkChanges(check.id), verifier),
      })),
      acceptances: store.acceptances().reverse(),
    }
  } finally {
    store.close()
  }
}
