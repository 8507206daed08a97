// Rows of the local store's tables and the domain objects they hold, both ways.
import type { ChangeSummary, FieldChange } from '../../model/index.js'
import type {
  AcceptanceRecord,
  BaselineHeader,
  ObservedChange,
  StoredCheck,
} from '../local-store.js'

export interface HeaderRow {
  version: number
  created_at: string
  updated_at: string
  target: string
  rules: string
  element_count: number
  digest: string
  acceptances_digest: string
  key_fingerprint: string
  key_salt: string | null
  signature: string
}

export interface CheckRow {
  id: number
  started_at: string
  finished_at: string
  baseline_version: number
  target: string
  summary: string
  scanned: string
  not_checked: string
  change_count: number
  signature: string | null
  accepted_count: number
}

export interface ChangeRow {
  key: string
  change: 'added' | 'removed' | 'modified'
  fields: string
  renamed: string | null
  observed: string | null
  observed_content: string | null
  accepted: number
}

export interface AcceptanceRow {
  at: string
  who: string
  reason: string
  check_id: number
  keys: string
  baseline_version: number
}

export function headerFromRow(row: HeaderRow): BaselineHeader {
  return {
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    target: row.target,
    rules: row.rules,
    elementCount: row.element_count,
    digest: row.digest,
    acceptancesDigest: row.acceptances_digest,
    keyFingerprint: row.key_fingerprint,
    keySalt: row.key_salt,
    signature: row.signature,
  }
}

/** The parameters of `INSERT … baseline_header (version, created_at, … signature)`, in order. */
export function headerParameters(header: BaselineHeader): unknown[] {
  return [
    header.version,
    header.createdAt,
    header.updatedAt,
    header.target,
    header.rules,
    header.elementCount,
    header.digest,
    header.acceptancesDigest,
    header.keyFingerprint,
    header.keySalt,
    header.signature,
  ]
}

export function checkFromRow(row: CheckRow): StoredCheck {
  return {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    baselineVersion: row.baseline_version,
    target: row.target,
    summary: JSON.parse(row.summary) as ChangeSummary,
    scanned: JSON.parse(row.scanned) as StoredCheck['scanned'],
    notChecked: JSON.parse(row.not_checked) as StoredCheck['notChecked'],
    changeCount: row.change_count,
    signature: row.signature,
    acceptedCount: row.accepted_count,
  }
}

export function changeFromRow(row: ChangeRow): ObservedChange {
  const renamed =
    row.renamed === null ? {} : (JSON.parse(row.renamed) as { from?: string; to?: string })
  return {
    key: row.key,
    change: row.change,
    fields: JSON.parse(row.fields) as Record<string, FieldChange>,
    ...(renamed.from === undefined ? {} : { renamedFrom: renamed.from }),
    ...(renamed.to === undefined ? {} : { renamedTo: renamed.to }),
    observed: row.observed,
    observedContent: row.observed_content,
    accepted: row.accepted === 1,
  }
}

export function acceptanceFromRow(row: AcceptanceRow): AcceptanceRecord {
  return {
    at: row.at,
    who: row.who,
    reason: row.reason,
    checkId: row.check_id,
    keys: JSON.parse(row.keys) as string[],
    baselineVersion: row.baseline_version,
  }
}
