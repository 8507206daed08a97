// What a baseline signature covers: a digest of every element (in key order) and the header
// fields that say what the baseline is, plus the head of the acceptance chain (who promoted what).
import { createHash, type Hash } from 'node:crypto'

/** Feeds elements in key order; `digest()` gives the hex SHA-256 over all of them. */
export class BaselineDigest {
  private readonly hash: Hash = createHash('sha256')
  private count = 0
  private previousKey: string | undefined

  /** @param attributesDigest the element's attribute digest (model's attributesDigest) */
  add(key: string, attributesDigest: string): void {
    if (this.previousKey !== undefined && key <= this.previousKey) {
      throw new Error(`baseline elements out of order at ${key}`)
    }
    this.previousKey = key
    this.hash.update(key).update('\u0000').update(attributesDigest).update('\n')
    this.count += 1
  }

  get elementCount(): number {
    return this.count
  }

  digest(): string {
    return this.hash.digest('hex')
  }
}

export interface SealedFields {
  readonly version: number
  readonly createdAt: string
  readonly updatedAt: string
  readonly target: string
  readonly rules: string
  readonly elementCount: number
  readonly digest: string
  readonly acceptancesDigest: string
}

/** The exact bytes that are signed. */
export function sealPayload(fields: SealedFields): Buffer {
  return Buffer.from(
    [
      'driftwatch-baseline-v1',
      `version=${fields.version}`,
      `created=${fields.createdAt}`,
      `updated=${fields.updatedAt}`,
      `target=${fields.target}`,
      `elements=${fields.elementCount}`,
      `digest=${fields.digest}`,
      `acceptances=${fields.acceptancesDigest}`,
      `rules=${createHash('sha256').update(fields.rules).digest('hex')}`,
    ].join('\n'),
    'utf8',
  )
}

/** The head of the hash chain over acceptance records; the empty chain is all zeros. */
export const EMPTY_CHAIN = '0'.repeat(64)

export function chainAcceptance(previous: string, record: string): string {
  return createHash('sha256').update(previous).update('\n').update(record).digest('hex')
}

/** What a check's signature covers: the check as reported, and every change it found. */
export interface CheckSealFields {
  readonly checkId: number
  readonly startedAt: string
  readonly finishedAt: string
  readonly baselineVersion: number
  readonly target: string
  readonly summary: unknown
  readonly scanned: unknown
  readonly notChecked: unknown
  readonly changes: readonly {
    readonly key: string
    readonly change: string
    readonly fields: unknown
    readonly renamedFrom?: string | undefined
    readonly renamedTo?: string | undefined
    readonly observed: string | null
    readonly observedContent: string | null
  }[]
}

/**
 * The exact bytes a check record is signed over; changes in key order. Whether a change was
 * accepted since is not covered: that flag changes after the check, and the acceptances have
 * their own hash chain in the baseline's seal.
 */
export function checkSealPayload(fields: CheckSealFields): Buffer {
  const changes = createHash('sha256')
  const ordered = [...fields.changes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  for (const change of ordered) {
    changes.update(
      JSON.stringify([
        change.key,
        change.change,
        change.fields,
        change.renamedFrom ?? null,
        change.renamedTo ?? null,
        change.observed,
        change.observedContent,
      ]),
    )
    changes.update('\n')
  }
  const report = createHash('sha256')
    .update(JSON.stringify([fields.summary, fields.scanned, fields.notChecked]))
    .digest('hex')
  return Buffer.from(
    [
      'driftwatch-check-v1',
      `check=${fields.checkId}`,
      `started=${fields.startedAt}`,
      `finished=${fields.finishedAt}`,
      `baseline-version=${fields.baselineVersion}`,
      `target=${fields.target}`,
      `report=${report}`,
      `changes=${fields.changes.length}:${changes.digest('hex')}`,
    ].join('\n'),
    'utf8',
  )
}
