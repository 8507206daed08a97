// The audit log's hash chain: each entry's hash covers its own fields and the previous entry's
// hash, so editing or deleting an entry breaks every hash after it. Pure, so the console that
// writes the log and `driftwatch audit verify` that checks it compute the same thing.
import { createHash } from 'node:crypto'

/** The hash before the first entry. */
export const AUDIT_GENESIS = '0'.repeat(64)

export interface ChainedAuditFields {
  readonly id: number
  readonly at: string
  readonly actor: string
  readonly action: string
  /** The subject as stored: JSON text. */
  readonly subject: string
  readonly previousHash: string
}

/**
 * @example auditHash({ id: 1, at: '2026-01-01T00:00:00.000Z', actor: 'alice', action: 'login', subject: '{}', previousHash: AUDIT_GENESIS })
 */
export function auditHash(entry: ChainedAuditFields): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        entry.previousHash,
        entry.id,
        entry.at,
        entry.actor,
        entry.action,
        entry.subject,
      ]),
    )
    .digest('hex')
}

export interface AuditChainProblem {
  /** The first entry edited or missing, or the entry whose link to its predecessor is broken. */
  readonly id: number
  readonly problem: 'edited' | 'missing' | 'broken-link'
  /** For `missing`: the last missing id (the entries `id` … `lastMissing` are gone). */
  readonly lastMissing?: number
}

/**
 * Checks a run of entries in id order, starting from the genesis (or from `previousHash` when
 * checking from the middle). Reports the first entry where the chain breaks.
 */
export function verifyAuditChain(
  entries: Iterable<ChainedAuditFields & { readonly hash: string }>,
  start: { id: number; previousHash: string } = { id: 1, previousHash: AUDIT_GENESIS },
): AuditChainProblem | undefined {
  let expectedId = start.id
  let previousHash = start.previousHash
  for (const entry of entries) {
    if (entry.id !== expectedId) {
      return { id: expectedId, problem: 'missing', lastMissing: entry.id - 1 }
    }
    if (entry.previousHash !== previousHash) return { id: entry.id, problem: 'broken-link' }
    if (auditHash(entry) !== entry.hash) return { id: entry.id, problem: 'edited' }
    previousHash = entry.hash
    expectedId += 1
  }
  return undefined
}
