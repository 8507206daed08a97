// Before a baseline is trusted it is checked against its signature: header fields, every element
// (in key order) and the chain of acceptances. Anything else is refused.
import { DriftwatchError } from '../errors/index.js'
import {
  BaselineDigest,
  checkSealPayload,
  chainAcceptance,
  EMPTY_CHAIN,
  sealPayload,
  type SigningKey,
} from '../integrity/index.js'
import type {
  AcceptanceRecord,
  BaselineHeader,
  LocalStore,
  ObservedChange,
  StoredCheck,
} from '../store/index.js'

/** Serialized form of an acceptance record, as chained. */
export function acceptanceChainRecord(record: AcceptanceRecord): string {
  return JSON.stringify([
    record.at,
    record.who,
    record.reason,
    record.checkId,
    record.keys,
    record.baselineVersion,
  ])
}

export function acceptanceChainHead(records: readonly AcceptanceRecord[]): string {
  return records.reduce(
    (head, record) => chainAcceptance(head, acceptanceChainRecord(record)),
    EMPTY_CHAIN,
  )
}

export function requireHeader(store: LocalStore, db: string): BaselineHeader {
  const header = store.header()
  if (header === undefined) {
    throw new DriftwatchError(
      'DW_ERR_DB_NOT_INITIALIZED',
      `${db} holds no baseline: run driftwatch init first`,
    )
  }
  return header
}

/**
 * Verifies the baseline and returns its elements (key → attribute digest). The full attributes
 * are fetched when needed and checked against these digests ({@link BaselineComparator}).
 * @throws DriftwatchError DW_ERR_KEY_MISMATCH, DW_ERR_BASELINE_TAMPERED, DW_ERR_DB_CORRUPT
 */
export function loadVerifiedBaseline(
  store: LocalStore,
  header: BaselineHeader,
  key: SigningKey,
  db: string,
): Map<string, string> {
  if (key.fingerprint !== header.keyFingerprint) {
    throw new DriftwatchError(
      'DW_ERR_KEY_MISMATCH',
      `${db} was signed with key ${header.keyFingerprint}, not with ${key.fingerprint} (${key.source}): ` +
        'use the key it was created with — or the database was replaced',
    )
  }
  if (!key.verify(sealPayload(header), header.signature)) {
    throw tampered(db, 'the baseline header does not match its signature')
  }
  const elements = new Map<string, string>()
  const digest = new BaselineDigest()
  try {
    for (const [elementKey, attributesDigest] of store.baselineDigests()) {
      digest.add(elementKey, attributesDigest)
      elements.set(elementKey, attributesDigest)
    }
  } catch (error) {
    if (error instanceof DriftwatchError) throw error
    throw tampered(db, (error as Error).message)
  }
  if (digest.elementCount !== header.elementCount) {
    throw tampered(
      db,
      `it holds ${digest.elementCount} elements, the signed baseline ${header.elementCount}`,
    )
  }
  if (digest.digest() !== header.digest) {
    throw tampered(db, 'its elements were changed after the baseline was signed')
  }
  if (acceptanceChainHead(store.acceptances()) !== header.acceptancesDigest) {
    throw tampered(db, 'the record of accepted changes was altered')
  }
  return elements
}

function tampered(db: string, what: string): DriftwatchError {
  return new DriftwatchError(
    'DW_ERR_BASELINE_TAMPERED',
    `${db}: ${what}. The baseline cannot be trusted; restore the database from a copy you trust, or ` +
      'run driftwatch init again on a system you know to be good',
  )
}

/** The error a check reports when a stored element does not match its signed digest. */
export function tamperedElement(db: string, key: string): DriftwatchError {
  return tampered(db, `the stored attributes of ${key} do not match the signed baseline`)
}

/** Whether a check record is as the check signed it. */
export type CheckRecordStatus = 'signed' | 'unsigned' | 'altered'

export function checkRecordStatus(
  check: StoredCheck,
  changes: readonly ObservedChange[],
  key: SigningKey,
): CheckRecordStatus {
  if (check.signature === null) return 'unsigned'
  const payload = checkSealPayload({ ...check, checkId: check.id, changes })
  return key.verify(payload, check.signature) ? 'signed' : 'altered'
}
