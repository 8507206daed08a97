// The local store: one node's baseline and the history of its checks, for the single-host use
// (`init`, `check`, `accept`, `history`). Adapters implement it; the SQLite one is in sqlite/.
import type { Change, ChangeSummary, SerializedElement } from '../model/index.js'

export interface BaselineHeader {
  readonly version: number
  readonly createdAt: string
  readonly updatedAt: string
  /** Description of the Target the baseline was taken from. */
  readonly target: string
  /** The rules (JSON) the baseline was taken with: `check` uses them unless told otherwise. */
  readonly rules: string
  readonly elementCount: number
  readonly digest: string
  readonly acceptancesDigest: string
  readonly keyFingerprint: string
  /** Salt of the passphrase-derived key; null with a key file. */
  readonly keySalt: string | null
  readonly signature: string
}

export interface CheckRecord {
  readonly startedAt: string
  readonly finishedAt: string
  readonly baselineVersion: number
  readonly target: string
  readonly summary: ChangeSummary
  readonly scanned: { readonly entries: number; readonly bytes: number }
  readonly notChecked: readonly { path: string; reason: string; detail: string }[]
}

export interface StoredCheck extends CheckRecord {
  readonly id: number
  /** Signature over the check and its changes; null when the check ran with a public key only. */
  readonly signature: string | null
  readonly changeCount: number
  readonly acceptedCount: number
}

/** A change as a check saw it, with the observed state that `accept` promotes. */
export interface ObservedChange extends Change {
  /** Serialized attributes of the element as observed; null when it was removed. */
  readonly observed: string | null
  /** SHA-256 of the observed content, when content was kept (the body is in the content table). */
  readonly observedContent: string | null
  readonly accepted: boolean
}

/** A change being promoted: its observed state (null when removed) and that state's digest. */
export interface AcceptedChange {
  readonly key: string
  readonly observed: string | null
  readonly digest: string | null
}

export interface AcceptanceRecord {
  readonly at: string
  readonly who: string
  readonly reason: string
  readonly checkId: number
  readonly keys: readonly string[]
  readonly baselineVersion: number
}

export interface LocalStore {
  header(): BaselineHeader | undefined
  /** Starts writing a new baseline; nothing is visible until `commit`. */
  beginBaseline(): void
  /** Adds one baseline element, and its kept content (during `beginBaseline` … `commitBaseline`). */
  putElement(element: SerializedElement): void
  /** Baseline elements in key order: key and the digest of its attributes (what is signed). */
  baselineDigests(): IterableIterator<[key: string, digest: string]>
  /** The serialized attributes of one baseline element. */
  baselineAttributes(key: string): string | undefined
  commitBaseline(header: BaselineHeader): void
  rollback(): void
  /** Content kept for a file, by its SHA-256 (checked against the digest on the way out). */
  content(sha256: string): string | undefined
  /** Records a check, its changes and the observed content they refer to (by SHA-256). */
  recordCheck(
    check: CheckRecord,
    changes: readonly ObservedChange[],
    contents: ReadonlyMap<string, string>,
    sign: ((checkId: number) => string) | undefined,
  ): number
  check(checkId: number): StoredCheck | undefined
  latestCheck(): StoredCheck | undefined
  listChecks(limit: number): StoredCheck[]
  checkChanges(checkId: number): ObservedChange[]
  acceptances(): AcceptanceRecord[]
  /**
   * Promotes observed changes into the baseline and records who and why, in one transaction;
   * `seal` computes the new header once the elements are written.
   */
  accept(
    checkId: number,
    changes: readonly AcceptedChange[],
    record: AcceptanceRecord,
    seal: () => BaselineHeader,
  ): void
  /** When each failing test (`policy/test`) first failed on a node. */
  firstFailures(node: string): Map<string, string>
  /** Records the tests failing now; tests no longer failing are forgotten. */
  recordFailures(node: string, failing: readonly string[], at: string): void
  close(): void
}
