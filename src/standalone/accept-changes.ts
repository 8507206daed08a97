// `driftwatch accept`: promote what the last check observed (all of it, or named elements) into
// the baseline, re-sign it, and record who accepted what and why.
import { DriftwatchError } from '../errors/index.js'
import { BaselineDigest, sealPayload, type SigningKey } from '../integrity/index.js'
import { attributesDigest } from '../model/index.js'
import {
  SqliteLocalStore,
  type AcceptanceRecord,
  type BaselineHeader,
  type ObservedChange,
  type StoredCheck,
} from '../store/index.js'
import {
  acceptanceChainHead,
  checkRecordStatus,
  loadVerifiedBaseline,
  requireHeader,
} from './baseline-verification.js'
import { existingSigningKey, type KeySource } from './key-source.js'

export interface AcceptOptions {
  readonly db: string
  readonly key: KeySource
  /** Element keys to accept; all unaccepted changes of the last check when empty. */
  readonly keys: readonly string[]
  readonly reason: string
  /** Who accepts: recorded with the acceptance. */
  readonly who: string
}

export interface AcceptResult {
  readonly checkId: number
  readonly accepted: readonly string[]
  /** Changes of that check still not accepted. */
  readonly remaining: number
  readonly baselineVersion: number
}

/**
 * @example await acceptChanges({ db, key, keys: ['file:/etc/motd'], reason: 'CHG-1 new banner', who: 'alice' })
 * @throws DriftwatchError DW_ERR_NOTHING_TO_ACCEPT, DW_ERR_UNKNOWN_ELEMENT, DW_ERR_BASELINE_TAMPERED,
 *   DW_ERR_CHECK_UNSIGNED, DW_ERR_CHECK_TAMPERED
 */
export function acceptChanges(options: AcceptOptions): AcceptResult {
  if (options.reason.trim() === '') {
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      'accept needs a --reason: it is recorded with the baseline',
    )
  }
  const store = SqliteLocalStore.open(options.db, { create: false })
  try {
    const header = requireHeader(store, options.db)
    const key = existingSigningKey(options.key, header)
    loadVerifiedBaseline(store, header, key, options.db)
    const check = store.latestCheck()
    if (check === undefined) {
      throw new DriftwatchError(
        'DW_ERR_NOTHING_TO_ACCEPT',
        'no check has run yet: run driftwatch check first',
      )
    }
    const recorded = store.checkChanges(check.id)
    verifyCheckRecord(check, recorded, key, header.version)
    const open = recorded.filter((change) => !change.accepted)
    const selected =
      options.keys.length === 0
        ? open
        : options.keys.map((wanted) => {
            const change = open.find((candidate) => candidate.key === wanted)
            if (change === undefined) {
              throw new DriftwatchError(
                'DW_ERR_UNKNOWN_ELEMENT',
                `${wanted} is not among the unaccepted changes of check #${check.id}`,
              )
            }
            return change
          })
    if (selected.length === 0) {
      throw new DriftwatchError(
        'DW_ERR_NOTHING_TO_ACCEPT',
        `check #${check.id} found no change left to accept`,
      )
    }
    const record: AcceptanceRecord = {
      at: new Date().toISOString(),
      who: options.who,
      reason: options.reason,
      checkId: check.id,
      keys: selected.map((change) => change.key),
      baselineVersion: header.version + 1,
    }
    const promoted = selected.map((change) => ({
      key: change.key,
      observed: change.observed,
      digest: change.observed === null ? null : attributesDigest(change.observed),
    }))
    store.accept(check.id, promoted, record, () => {
      const digest = new BaselineDigest()
      for (const [elementKey, attributes] of store.baselineDigests()) {
        digest.add(elementKey, attributes)
      }
      const unsigned: Omit<BaselineHeader, 'signature'> = {
        ...header,
        version: record.baselineVersion,
        updatedAt: record.at,
        elementCount: digest.elementCount,
        digest: digest.digest(),
        acceptancesDigest: acceptanceChainHead(store.acceptances()),
      }
      return { ...unsigned, signature: key.sign(sealPayload(unsigned)) }
    })
    return {
      checkId: check.id,
      accepted: record.keys,
      remaining: open.length - selected.length,
      baselineVersion: record.baselineVersion,
    }
  } finally {
    store.close()
  }
}

/**
 * Only what a check saw and signed may be accepted: a change inserted into the database, or an
 * observed state edited there, would otherwise be promoted and re-signed unseen.
 */
function verifyCheckRecord(
  check: StoredCheck,
  changes: readonly ObservedChange[],
  key: SigningKey,
  baselineVersion: number,
): void {
  const status = checkRecordStatus(check, changes, key)
  if (status === 'unsigned') {
    throw new DriftwatchError(
      'DW_ERR_CHECK_UNSIGNED',
      `check #${check.id} ran with a public key only, so nothing vouches for what it observed: ` +
        'run driftwatch check with the private key, review it, then accept',
    )
  }
  if (status === 'altered' || check.baselineVersion > baselineVersion) {
    throw new DriftwatchError(
      'DW_ERR_CHECK_TAMPERED',
      `the record of check #${check.id} was altered after the check signed it; nothing was accepted. ` +
        'Run driftwatch check again and review its report',
    )
  }
}
