// Package provenance: a file that now holds exactly what its package's newly installed version
// recorded was changed by the package manager, not by hand.
import { parseAttributes, type Attributes } from '../model/index.js'
import type { DetectedChange } from './detected-change.js'
import { splitKey } from './scope-pattern.js'

/** What a package manager recorded for one file, in the version installed at the detecting scan. */
export interface RecordedDigest {
  /** `md5` (dpkg's md5sums), `sha256` (rpm on current distributions) … as the file element names it. */
  readonly algorithm: string
  /** Lowercase hex. */
  readonly value: string
}

/** An installed package that owns a path, with its version on both sides of the change. */
export interface PackageOwner {
  /** The package element's key: `package:nginx`, `package:libc6:amd64`. */
  readonly packageKey: string
  /** Its version at the scan before the change; null when it was not installed. */
  readonly versionBefore: string | null
  /** Its version at the detecting scan (the installed one). */
  readonly versionAfter: string
  /** The digest that version records for the path; undefined when it records none (dpkg conffiles). */
  readonly recordedDigest?: RecordedDigest | undefined
}

/**
 * What the caller knows about packages at the change's two scans, built from stored `package:`
 * elements and what the agent read of the package database for the changed files
 * ({@link packageFactsFrom}). File elements carry `sha256`; dpkg records MD5, which the agent
 * computes for the changed files it finds in dpkg's records.
 */
export interface PackageFacts {
  /** The packages installed at the detecting scan that own the path (usually one; dpkg diversions and shared multi-arch files, more). */
  ownersOf(path: string): readonly PackageOwner[]
  /**
   * The digest of the path's content at the detecting scan in an algorithm the file element does
   * not carry (the agent computes dpkg's MD5 for changed files only); undefined when unknown.
   */
  observedDigest?(path: string, algorithm: string): string | undefined
}

export interface PackageUpdate {
  readonly packageKey: string
  readonly from: string | null
  readonly to: string
  readonly algorithm: string
}

export type PackageExplanation =
  | { readonly explained: true; readonly update: PackageUpdate; readonly reason: string }
  | { readonly explained: false; readonly reason: string }

/**
 * Attributes a package digest does not vouch for: a hand-made chmod u+s on a binary in the same
 * interval as its package's upgrade must stay unauthorized.
 */
const UNVOUCHED_ATTRIBUTES = ['type', 'mode', 'uid', 'gid', 'target'] as const

/**
 * Explains a file change by a package update: the file's new content has the digest the installed
 * version of an owning package records, and that package's version changed between the same two
 * scans. Content that matches no record is never explained.
 *
 * @example
 * explainByPackage(change, { ownersOf: () => [{ packageKey: 'package:nginx',
 *   versionBefore: '1.24.0-1', versionAfter: '1.24.0-2',
 *   recordedDigest: { algorithm: 'sha256', value: 'ab12…' } }] })
 * // { explained: true, update: { packageKey: 'package:nginx', from: '1.24.0-1', to: '1.24.0-2', … } }
 */
export function explainByPackage(change: DetectedChange, facts: PackageFacts): PackageExplanation {
  const { kind, identifier: path } = splitKey(change.key)
  if (kind !== 'file') return no('only file changes are explained by package updates')
  if (change.after === null) return no('a removed file is not explained by package records')
  const after = parseAttributes(change.after)
  if (after['type'] !== undefined && after['type'] !== 'file')
    return no(`a ${String(after['type'])} has no content a package records`)
  if (change.before !== null) {
    const before = parseAttributes(change.before)
    for (const name of UNVOUCHED_ATTRIBUTES)
      if ((before[name] ?? null) !== (after[name] ?? null))
        return no(
          `its ${name} changed too (${show(before[name])} → ${show(after[name])}), which package digests do not vouch for`,
        )
  }
  const owners = facts.ownersOf(path)
  if (owners.length === 0) return no(`no installed package owns ${path}`)
  const reasons: string[] = []
  for (const owner of owners) {
    const { packageKey, versionBefore, versionAfter, recordedDigest } = owner
    if (versionBefore === versionAfter) {
      reasons.push(`${packageKey} stayed at ${versionAfter} between the two scans`)
      continue
    }
    const update = `${packageKey} ${versionBefore ?? '(not installed)'} → ${versionAfter}`
    if (recordedDigest === undefined) {
      reasons.push(`${update} records no digest for ${path}`)
      continue
    }
    const actual =
      digestOf(after, recordedDigest.algorithm) ??
      facts.observedDigest?.(path, recordedDigest.algorithm)?.toLowerCase()
    if (actual === undefined) {
      reasons.push(
        `${update} records a ${recordedDigest.algorithm} digest, and no ${recordedDigest.algorithm} of the new content is known to compare`,
      )
      continue
    }
    if (actual !== recordedDigest.value.toLowerCase()) {
      reasons.push(`the content matches no record of ${update}`)
      continue
    }
    return {
      explained: true,
      update: {
        packageKey,
        from: versionBefore,
        to: versionAfter,
        algorithm: recordedDigest.algorithm,
      },
      reason: `explained by package update ${update}: the new content has the ${recordedDigest.algorithm} it records`,
    }
  }
  return no(reasons.join('; '))
}

function digestOf(attributes: Attributes, algorithm: string): string | undefined {
  const value = attributes[algorithm]
  return typeof value === 'string' ? value.toLowerCase() : undefined
}

function show(value: Attributes[string] | undefined): string {
  return value === undefined || value === null ? 'none' : String(value)
}

function no(reason: string): PackageExplanation {
  return { explained: false, reason }
}
