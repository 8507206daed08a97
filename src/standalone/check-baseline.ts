// `driftwatch check`: verify the baseline, scan the Target, report every difference, and record
// the check (with the observed state of each changed element, which `accept` promotes).
import {
  LocalCommandRunner,
  SnapshotCollector,
  type NotChecked,
  type SnapshotResult,
} from '../collect/index.js'
import {
  BaselineComparator,
  BaselineMismatchError,
  deserializeElement,
  loadContentDiff,
  parseAttributes,
  serializeAttributes,
  type AttributeValue,
  summarizeChanges,
  type Change,
  type ChangeSummary,
  type Element,
} from '../model/index.js'
import { createHash } from 'node:crypto'
import { SqliteLocalStore, type LocalStore, type ObservedChange } from '../store/index.js'
import { checkSealPayload } from '../integrity/index.js'
import { loadVerifiedBaseline, requireHeader, tamperedElement } from './baseline-verification.js'
import { existingSigningKey } from './key-source.js'
import type { ScanOptions } from './scan-options.js'
import { rulesForScan } from './scan-rules.js'

export interface ReportedChange extends Change {
  /** Unified diff of the content, for kept text files whose content changed. */
  readonly contentDiff?: string
}

export interface CheckReport {
  readonly checkId: number
  readonly target: string
  readonly baseline: {
    readonly version: number
    readonly createdAt: string
    readonly updatedAt: string
    readonly target: string
    readonly keyFingerprint: string
  }
  readonly startedAt: string
  readonly seconds: number
  readonly scanned: { readonly entries: number; readonly bytes: number }
  readonly summary: ChangeSummary
  readonly changes: readonly ReportedChange[]
  readonly notChecked: readonly NotChecked[]
}

/**
 * @example const report = await checkBaseline({ db: 'host.db', key, target })
 *          if (report.changes.length > 0) …
 */
export async function checkBaseline(options: ScanOptions): Promise<CheckReport> {
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const store = SqliteLocalStore.open(options.db, { create: false })
  try {
    const header = requireHeader(store, options.db)
    const key = existingSigningKey(options.key, header)
    const rules = await rulesForScan({
      rulesFile: options.rulesFile,
      storedRules: header.rules,
      target: options.target,
    })
    // The hash workers start loading now, while the baseline is verified; nothing is scanned
    // until it is.
    let expectedEntries = 0
    const collector = new SnapshotCollector(options.target, rules, {
      commands: options.commands ?? new LocalCommandRunner(),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.onProgress === undefined
        ? {}
        : { onProgress: (progress) => options.onProgress?.({ ...progress, expectedEntries }) }),
      ...(options.onDirectoryListed === undefined
        ? {}
        : { onDirectoryListed: options.onDirectoryListed }),
    })
    let baseline: Map<string, string>
    try {
      baseline = loadVerifiedBaseline(store, header, key, options.db)
    } catch (error) {
      await collector.close()
      throw error
    }
    expectedEntries = baseline.size
    const comparator = new BaselineComparator(baseline, (elementKey) =>
      store.baselineAttributes(elementKey),
    )
    const observed = new Map<string, Element>()
    const serializedObserved = new Map<string, string>()
    let scan: SnapshotResult
    let changes: Change[]
    try {
      scan = await collector.collect((element) => {
        if (comparator.observe(element) === undefined) return
        observed.set(element.key, deserializeElement(element))
        serializedObserved.set(element.key, element.attributes)
      })
      changes = comparator.finish((elementKey) => !scan.absenceProvesRemoval(elementKey))
    } catch (error) {
      if (error instanceof BaselineMismatchError) throw tamperedElement(options.db, error.key)
      throw error
    }
    const contents = new Map<string, string>()
    const observedChanges: ObservedChange[] = changes.map((change) => {
      const element = observed.get(change.key)
      const sha256 = element?.attributes['sha256']
      const keptContent = typeof sha256 === 'string' && element?.content !== undefined
      if (keptContent) contents.set(sha256, element.content)
      return {
        ...change,
        observed: observedForAccept(element, serializedObserved.get(change.key), store),
        observedContent: keptContent ? sha256 : null,
        accepted: false,
      }
    })
    const summary = summarizeChanges(changes)
    const finishedAt = new Date().toISOString()
    const notChecked = scan.notChecked
    const record = {
      startedAt,
      finishedAt,
      baselineVersion: header.version,
      target: options.target.description,
      summary,
      scanned: { entries: scan.entries, bytes: scan.bytes },
      notChecked,
    }
    // Signed when the private key is at hand: only a signed check can be accepted.
    const sign = key.canSign
      ? (checkId: number): string =>
          key.sign(checkSealPayload({ ...record, checkId, changes: observedChanges }))
      : undefined
    const checkId = store.recordCheck(record, observedChanges, contents, sign)
    return {
      checkId,
      target: options.target.description,
      baseline: {
        version: header.version,
        createdAt: header.createdAt,
        updatedAt: header.updatedAt,
        target: header.target,
        keyFingerprint: header.keyFingerprint,
      },
      startedAt,
      seconds: (performance.now() - started) / 1000,
      scanned: { entries: scan.entries, bytes: scan.bytes },
      summary,
      changes: await withContentDiffs(changes, observed, store),
      notChecked,
    }
  } finally {
    store.close()
  }
}

/**
 * The state `accept` would promote. Attributes that could not be read this time (the digest of a
 * file that became unreadable) keep their baseline value rather than being erased.
 */
function observedForAccept(
  element: Element | undefined,
  serialized: string | undefined,
  store: LocalStore,
): string | null {
  if (element === undefined || serialized === undefined) return null
  const unverified = element.unverified ?? []
  if (unverified.length === 0) return serialized
  const baseline = store.baselineAttributes(element.key)
  if (baseline === undefined) return serialized
  const kept = parseAttributes(baseline)
  const merged: Record<string, AttributeValue> = { ...element.attributes }
  for (const name of unverified) {
    const value = kept[name]
    if (value !== undefined) merged[name] = value
  }
  return serializeAttributes(merged)
}

async function withContentDiffs(
  changes: readonly Change[],
  observed: ReadonlyMap<string, Element>,
  store: LocalStore,
): Promise<ReportedChange[]> {
  const diffable = changes.filter(
    (change) =>
      change.change === 'modified' &&
      typeof change.fields['sha256']?.before === 'string' &&
      observed.get(change.key)?.content !== undefined,
  )
  if (diffable.length === 0) return [...changes]
  const { unifiedContentDiff } = await loadContentDiff()
  const diffs = new Map<string, string>()
  for (const change of diffable) {
    const beforeDigest = change.fields['sha256']?.before as string
    const before = store.content(beforeDigest)
    // Kept content is addressed by its digest: a body that does not hash to it is not shown.
    if (before === undefined || createHash('sha256').update(before).digest('hex') !== beforeDigest)
      continue
    const after = observed.get(change.key)?.content as string
    diffs.set(change.key, unifiedContentDiff(change.key.slice('file:'.length), before, after))
  }
  return changes.map((change) => {
    const contentDiff = diffs.get(change.key)
    return contentDiff === undefined ? change : { ...change, contentDiff }
  })
}
