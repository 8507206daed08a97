// Provenance of the files a collection found changed: what the package database records for each
// and what its content hashes to in that record's algorithm. The console needs both to tell a
// package upgrade from a hand-edited file; file elements carry only SHA-256 while dpkg records MD5,
// so the agent hashes the few changed files again instead of every file twice.
import { createHash, getHashes } from 'node:crypto'
import { recordedDigests, type RecordedFileDigest } from '../collect/index.js'
import type { FileProvenance } from '../reconcile/index.js'
import type { IncomingElement } from '../store/index.js'
import type { Target } from '../target/index.js'
import { elementDigest, type AcknowledgedState } from './snapshot-delta.js'

/** A binary larger than this is not hashed again; its change stays for a person to judge. */
const MAX_REHASH_BYTES = 256 * 1024 * 1024
const HASHES = new Set(getHashes())

/**
 * Provenance of the regular files whose element differs from the acknowledged state, for those a
 * package records. A file whose content changed again since the collection hashed it (its SHA-256
 * no longer matches the element's) gets none: its new content was not what was collected.
 *
 * @example changedFileProvenance(target, snapshot.elements, state.acknowledged())
 * // [{ path: '/usr/bin/curl', packageKey: 'package:curl', version: '7.88.1-10+deb12u8',
 * //    algorithm: 'md5', recorded: '9c1e…', observed: '9c1e…' }]
 */
export function changedFileProvenance(
  target: Target,
  elements: readonly IncomingElement[],
  acknowledged: AcknowledgedState,
): FileProvenance[] {
  // A first snapshot is the baseline: nothing in it is a change to explain.
  if (acknowledged.sequence === 0) return []
  const changed = new Map<string, string>()
  const packages = new Map<string, string>()
  for (const element of elements) {
    if (element.key.startsWith('package:')) {
      const version = attributesOf(element)['version']
      if (typeof version === 'string') packages.set(element.key, version)
      continue
    }
    if (!element.key.startsWith('file:')) continue
    if (acknowledged.elements[element.key] === elementDigest(element)) continue
    const attributes = attributesOf(element)
    if (attributes['type'] === 'file' && typeof attributes['sha256'] === 'string')
      changed.set(element.key.slice('file:'.length), attributes['sha256'])
  }
  if (changed.size === 0) return []
  const provenance: FileProvenance[] = []
  for (const [path, records] of recordedDigests(target, new Set(changed.keys()))) {
    const owned = records.flatMap((record) => {
      const packageKey = packageKeyOf(record, packages)
      return packageKey === undefined ? [] : [{ record, packageKey }]
    })
    if (owned.length === 0) continue
    const observed = rehash(
      target,
      path,
      changed.get(path) ?? '',
      owned.map(({ record }) => record),
    )
    if (observed === undefined) continue
    for (const { record, packageKey } of owned) {
      const digest = observed.get(record.algorithm)
      if (digest === undefined) continue
      provenance.push({
        path,
        packageKey,
        version: packages.get(packageKey) ?? '',
        algorithm: record.algorithm,
        recorded: record.digest,
        observed: digest,
      })
    }
  }
  return provenance.sort((a, b) =>
    a.path !== b.path ? (a.path < b.path ? -1 : 1) : a.packageKey < b.packageKey ? -1 : 1,
  )
}

/** The snapshot's element key for the package that records the file: by name, or name and architecture. */
function packageKeyOf(
  record: RecordedFileDigest,
  packages: ReadonlyMap<string, string>,
): string | undefined {
  const candidates = [
    ...(record.architecture === undefined ? [] : [`package:${record.name}:${record.architecture}`]),
    `package:${record.name}`,
  ]
  return candidates.find((key) => packages.has(key))
}

/**
 * Hashes the file once in SHA-256 and every algorithm the records use; undefined when it cannot
 * be read, is too large, or no longer holds the content the collection hashed.
 */
function rehash(
  target: Target,
  path: string,
  collectedSha256: string,
  records: readonly RecordedFileDigest[],
): Map<string, string> | undefined {
  let content: Buffer | undefined
  try {
    content = target.readFile(path, MAX_REHASH_BYTES)
  } catch {
    return undefined
  }
  if (content === undefined) return undefined
  if (createHash('sha256').update(content).digest('hex') !== collectedSha256) return undefined
  const digests = new Map<string, string>()
  for (const { algorithm } of records) {
    if (digests.has(algorithm) || !HASHES.has(algorithm)) continue
    try {
      digests.set(algorithm, createHash(algorithm).update(content).digest('hex'))
    } catch {
      // A FIPS build refuses MD5: that record explains nothing, the collection goes on.
    }
  }
  return digests
}

function attributesOf(element: IncomingElement): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(element.attributes)
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}
