// File provenance as an agent reports it beside a snapshot: for each changed file its package
// database records, which installed package records it, that record's digest, and the digest of
// the content the agent hashed in the same scan. The console turns the reports and the package
// versions stored between the same two scans into PackageFacts.
import type { PackageFacts, PackageOwner } from './package-provenance.js'

export interface FileProvenance {
  /** The path as the file key shows it. */
  readonly path: string
  /** The owning package's element key at that scan: `package:nginx`, `package:libc6:amd64`. */
  readonly packageKey: string
  /** That package's installed version at the scan. */
  readonly version: string
  /** `md5` (dpkg), `sha256` (rpm) … */
  readonly algorithm: string
  /** What the package database records for the path, lowercase hex. */
  readonly recorded: string
  /** What the content the scan saw hashes to in that algorithm, lowercase hex. */
  readonly observed: string
}

/**
 * How a package element changed between the two scans of a change: the version before (null
 * when it was not installed), or undefined when it did not change.
 */
export type VersionBefore = (packageKey: string) => string | null | undefined

/**
 * PackageFacts for the changes of one snapshot. A package that did not change between the two
 * scans keeps its version on both sides, so its records explain nothing.
 *
 * @example
 * packageFactsFrom([{ path: '/usr/bin/curl', packageKey: 'package:curl', version: '7.88.1-10+deb12u8',
 *   algorithm: 'md5', recorded: 'ab…', observed: 'ab…' }], (key) => key === 'package:curl' ? '7.88.1-10+deb12u7' : undefined)
 */
export function packageFactsFrom(
  provenance: readonly FileProvenance[],
  versionBefore: VersionBefore,
): PackageFacts {
  const byPath = new Map<string, FileProvenance[]>()
  for (const record of provenance) {
    const list = byPath.get(record.path)
    if (list === undefined) byPath.set(record.path, [record])
    else list.push(record)
  }
  return {
    ownersOf(path: string): readonly PackageOwner[] {
      return (byPath.get(path) ?? []).map((record) => {
        const before = versionBefore(record.packageKey)
        return {
          packageKey: record.packageKey,
          versionBefore: before === undefined ? record.version : before,
          versionAfter: record.version,
          recordedDigest: { algorithm: record.algorithm, value: record.recorded },
        }
      })
    },
    observedDigest(path: string, algorithm: string): string | undefined {
      return byPath.get(path)?.find((record) => record.algorithm === algorithm)?.observed
    },
  }
}
