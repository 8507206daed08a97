// The digests the package database records for a few given paths, and which installed package
// records each: what tells a package upgrade (the file holds what its new version recorded) from
// a file changed behind the package manager's back.
import { unescapeToRawPath } from '../../../model/index.js'
import type { Target } from '../../../target/index.js'
import type { CollectionProblem } from '../system-collector.js'
import { readDpkgFileDigests } from './dpkg-files.js'
import { readRpmDatabase } from './rpm-database.js'
import { RPM_TAG } from './rpm-header.js'
import { rpmFileDigests } from './rpm-package.js'

const DPKG_INFO = '/var/lib/dpkg/info'
/** dpkg's file lists together run to megabytes on a full system: read once per lookup, line by line. */
const MAX_LIST_BYTES = 64 * 1024 * 1024

export interface RecordedFileDigest {
  readonly manager: 'dpkg' | 'rpm'
  /** The package's name, as the package database names it. */
  readonly name: string
  /** Its architecture where the database says (dpkg's `libc6:amd64` lists, rpm's ARCH). */
  readonly architecture: string | undefined
  /** `md5` (dpkg), `sha256` (rpm on current distributions) … */
  readonly algorithm: string
  /** Lowercase hex. */
  readonly digest: string
}

/**
 * For each path (as file keys show it), the packages whose installed version records a digest
 * for it. Paths no package records are absent. Reads dpkg's lists only when some path is asked
 * for, and the md5sums of the owning packages only.
 *
 * @example recordedDigests(target, new Set(['/usr/sbin/sshd'])).get('/usr/sbin/sshd')
 * // [{ manager: 'dpkg', name: 'openssh-server', architecture: 'amd64', algorithm: 'md5', digest: '5e8d…' }]
 */
export function recordedDigests(
  target: Target,
  paths: ReadonlySet<string>,
  problems: CollectionProblem[] = [],
): Map<string, RecordedFileDigest[]> {
  const found = new Map<string, RecordedFileDigest[]>()
  if (paths.size === 0) return found
  const add = (path: string, record: RecordedFileDigest): void => {
    const list = found.get(path)
    if (list === undefined) found.set(path, [record])
    else list.push(record)
  }
  for (const { name, architecture } of dpkgOwners(target, paths, problems)) {
    const digests = readDpkgFileDigests(target, name, architecture, problems)
    for (const path of paths) {
      const digest = digests.get(path)
      if (digest !== undefined)
        add(path, { manager: 'dpkg', name, architecture, algorithm: 'md5', digest })
    }
  }
  for (const record of readRpmDatabase(target, problems)?.records ?? []) {
    try {
      const { algorithm, digests } = rpmFileDigests(record.header)
      for (const path of paths) {
        const digest = digests.get(path)
        if (digest === undefined) continue
        add(path, {
          manager: 'rpm',
          name: record.header.string(RPM_TAG.NAME) ?? '(unnamed)',
          architecture: record.header.string(RPM_TAG.ARCH),
          algorithm,
          digest,
        })
      }
    } catch (error) {
      problems.push({
        path: `rpm header ${record.hnum}`,
        reason: 'malformed',
        detail: (error as Error).message,
      })
    }
  }
  return found
}

/** The dpkg packages whose file list names one of the paths: `name` or `name:arch` lists. */
function dpkgOwners(
  target: Target,
  paths: ReadonlySet<string>,
  problems: CollectionProblem[],
): { name: string; architecture: string | undefined }[] {
  const owners: { name: string; architecture: string | undefined }[] = []
  for (const entry of target.listDirectory(DPKG_INFO) ?? []) {
    if (!entry.endsWith('.list')) continue
    let bytes: Buffer | undefined
    try {
      bytes = target.readFile(`${DPKG_INFO}/${entry}`, MAX_LIST_BYTES)
    } catch (error) {
      problems.push({
        path: `${DPKG_INFO}/${entry}`,
        reason: 'unreadable',
        detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message,
      })
      continue
    }
    if (bytes === undefined || !listsAny(bytes.toString('latin1'), paths)) continue
    const [name = '', architecture] = entry.slice(0, -'.list'.length).split(':')
    owners.push({ name, architecture })
  }
  return owners
}

/** Whether a list (raw bytes as latin1) holds one of the paths as a whole line. */
function listsAny(list: string, paths: ReadonlySet<string>): boolean {
  for (const path of paths) {
    const raw = unescapeToRawPath(path)
    let at = list.indexOf(raw)
    while (at !== -1) {
      const end = at + raw.length
      if ((at === 0 || list[at - 1] === '\n') && (end === list.length || list[end] === '\n'))
        return true
      at = list.indexOf(raw, end)
    }
  }
  return false
}
