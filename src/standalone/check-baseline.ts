// `driftwatch check`: verify the baseline, scan the Target, report every difference, and record
// the check (with the observed state of each changed element, which `accept` promotes).
import { FileCollector, type NotChecked } from '../collect/index.js'
import {
  BaselineComparator,
  serializeAttributes,
  summarizeChanges,
  unifiedContentDiff,
  type Change,
  type ChangeSummary,
  type Element,
} from '../model/index.js'
import { createHash } from 'node:crypto'
import { SqliteLocalStore, type LocalStore, type ObservedChange } from '../store/index.js'
import { loadVerifiedBaseline, requireHeader } from './baseline-verification.js'
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
    const baseline = loadVerifiedBaseline(store, header, key, options.db)
    const rules = rulesForScan({
      rulesFile: options.rulesFile,
      storedRules: header.rules,
      target: options.target,
    })
    const expectedEntries = baseline.size
    const comparator = new BaselineComparator(baseline)
    const observed = new Map<string, Element>()
    const collector = new FileCollector(options.target, rules, {
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.onProgress === undefined
        ? {}
        : { onProgress: (progress) => options.onProgress?.({ ...progress, expectedEntries }) }),
      ...(options.onDirectoryListed === undefined
        ? {}
        : { onDirectoryListed: options.onDirectoryListed }),
    })
    const scan = await collector.collect((element) => {
      if (comparator.observe(element) !== undefined) observed.set(element.key, element)
    })
    const unlisted = scan.unlisted.map((path) => `file:${path}/`)
    const changes = comparator.finish((elementKey) =>
      unlisted.some((prefix) => elementKey.startsWith(prefix)),
    )
    const contents = new Map<string, string>()
    const observedChanges: ObservedChange[] = changes.map((change) => {
      const element = observed.get(change.key)
      const sha256 = element?.attributes['sha256']
      const keptContent = typeof sha256 === 'string' && element?.content !== undefined
      if (keptContent) contents.set(sha256, element.content)
      return {
        ...change,
        observed: element === undefined ? null : serializeAttributes(element.attributes),
        observedContent: keptContent ? sha256 : null,
        accepted: false,
      }
    })
    const summary = summarizeChanges(changes)
    const finishedAt = new Date().toISOString()
    const notChecked = scan.notChecked
    const checkId = store.recordCheck(
      {
        startedAt,
        finishedAt,
        baselineVersion: header.version,
        target: options.target.description,
        summary,
        scanned: { entries: scan.entries, bytes: scan.bytes },
        notChecked,
      },
      observedChanges,
      contents,
    )
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
      changes: changes.map((change) => withContentDiff(change, observed.get(change.key), store)),
      notChecked,
    }
  } finally {
    store.close()
  }
}

function withContentDiff(
  change: Change,
  element: Element | undefined,
  store: LocalStore,
): ReportedChange {
  const sha = change.fields['sha256']
  if (change.change !== 'modified' || sha === undefined || element?.content === undefined)
    return change
  if (typeof sha.before !== 'string') return change
  const before = store.content(sha.before)
  // Kept content is addressed by its digest: a body that does not hash to it is not shown.
  if (before === undefined || createHash('sha256').update(before).digest('hex') !== sha.before)
    return change
  return {
    ...change,
    contentDiff: unifiedContentDiff(change.key.slice('file:'.length), before, element.content),
  }
}
