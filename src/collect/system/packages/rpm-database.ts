// Reads rpm's package database (rpm >= 4.16: rpmdb.sqlite, table Packages(hnum, blob), one
// RPM header per package) through the Target: the bytes are read like any file and opened in
// memory, so nothing outside the root is opened and the database on disk is never written to.
import type Database from 'better-sqlite3'
import { createRequire } from 'node:module'
import type { Target } from '../../../target/index.js'
import type { CollectionProblem } from '../system-collector.js'
import { RPM_TAG, RpmHeader } from './rpm-header.js'
import { rpmFileDigests, type RpmFileDigests } from './rpm-package.js'
import { applyWriteAheadLog } from './sqlite-wal.js'

// Loaded only when there is an rpm database to open: not on Debian (loading it costs ~13 ms).
const requireHere = createRequire(import.meta.url)

/** Where rpm keeps its database: the classic place, and where Fedora and SUSE moved it. */
export const RPM_DATABASE_DIRECTORIES = ['/var/lib/rpm', '/usr/lib/sysimage/rpm']
/** A database of several thousand packages is a few hundred megabytes at most. */
const MAX_RPMDB_BYTES = 1024 * 1024 * 1024

export interface RpmDatabaseRecord {
  /** The header number: rpm's key of the package in its database. */
  readonly hnum: number
  readonly header: RpmHeader
}

export interface RpmDatabase {
  /** The database file read. */
  readonly path: string
  /** Headers that could be parsed; the others are problems. */
  readonly records: RpmDatabaseRecord[]
}

/**
 * Reads the first rpm database found. Undefined when the Target has none that can be read:
 * no rpm at all, or a format that is not read (a problem then says which).
 *
 * @example readRpmDatabase(openTarget({ root: '/srv/images/rocky9' }), problems)?.records.length
 */
export function readRpmDatabase(
  target: Target,
  problems: CollectionProblem[],
): RpmDatabase | undefined {
  for (const directory of RPM_DATABASE_DIRECTORIES) {
    const path = `${directory}/rpmdb.sqlite`
    const bytes = readDatabaseFile(target, path, problems)
    if (bytes === 'unreadable') return undefined
    if (bytes !== undefined) {
      const wal = readDatabaseFile(target, `${path}-wal`, problems)
      if (wal === 'unreadable') return undefined
      return { path, records: readHeaders(bytes, wal, path, problems) }
    }
    const other = otherFormat(target, directory)
    if (other !== undefined) {
      problems.push({
        path: `${directory}/${other.file}`,
        reason: 'unavailable',
        detail: other.detail,
      })
      return undefined
    }
  }
  return undefined
}

/**
 * The file digests rpm recorded for a package: path → digest, in the algorithm the package
 * says (sha256 on current distributions). A package installed several times (kernels: one per
 * version) gives the files of all its instances. Undefined when no such package is installed.
 *
 * @example readRpmFileDigests(target, 'openssh-server')?.digests.get('/usr/sbin/sshd')
 */
export function readRpmFileDigests(
  target: Target,
  name: string,
  architecture?: string,
  problems: CollectionProblem[] = [],
): RpmFileDigests | undefined {
  const database = readRpmDatabase(target, problems)
  let found: RpmFileDigests | undefined
  for (const { hnum, header } of database?.records ?? []) {
    try {
      if (header.string(RPM_TAG.NAME) !== name) continue
      if (architecture !== undefined && header.string(RPM_TAG.ARCH) !== architecture) continue
      const digests = rpmFileDigests(header)
      if (found === undefined) found = digests
      else if (digests.algorithm === found.algorithm) {
        for (const [path, digest] of digests.digests) found.digests.set(path, digest)
      } else {
        problems.push({
          path: `${database?.path ?? ''}#${hnum}`,
          reason: 'malformed',
          detail: `package ${name}: instances record digests in different algorithms`,
        })
      }
    } catch (error) {
      problems.push({
        path: `${database?.path ?? ''}#${hnum}`,
        reason: 'malformed',
        detail: `rpm header: ${(error as Error).message}`,
      })
    }
  }
  return found
}

function readDatabaseFile(
  target: Target,
  path: string,
  problems: CollectionProblem[],
): Buffer | 'unreadable' | undefined {
  try {
    return target.readFile(path, MAX_RPMDB_BYTES)
  } catch (error) {
    const message = (error as Error).message
    const reason = /more than the \d+ allowed/.test(message) ? 'too-large' : 'unreadable'
    problems.push({ path, reason, detail: (error as NodeJS.ErrnoException).code ?? message })
    return 'unreadable'
  }
}

/** Databases of older and other rpm builds, which are not read. */
function otherFormat(
  target: Target,
  directory: string,
): { file: string; detail: string } | undefined {
  if (target.entryType(`${directory}/Packages`) !== undefined) {
    return {
      file: 'Packages',
      detail:
        'a Berkeley DB rpm database (rpm before 4.16, e.g. RHEL 8 or CentOS 7) is not read; ' +
        'its packages are not collected',
    }
  }
  if (target.entryType(`${directory}/Packages.db`) !== undefined) {
    return {
      file: 'Packages.db',
      detail: 'an ndb rpm database (SUSE) is not read; its packages are not collected',
    }
  }
  return undefined
}

function readHeaders(
  bytes: Buffer,
  wal: Buffer | undefined,
  path: string,
  problems: CollectionProblem[],
): RpmDatabaseRecord[] {
  const image = wal === undefined || wal.length === 0 ? bytes : applyWriteAheadLog(bytes, wal)
  // An in-memory database cannot be in WAL mode; bytes 18 and 19 of the header say it is
  // (2 = WAL). Marking the copy as a rollback-journal database lets SQLite open it.
  if (image.length >= 100 && image[18] === 2 && image[19] === 2) {
    image[18] = 1
    image[19] = 1
  }
  let database: Database.Database | undefined
  let rows: unknown[][]
  try {
    database = new (requireHere('better-sqlite3') as typeof Database)(image)
    const table = database
      .prepare("SELECT type FROM sqlite_master WHERE name = 'Packages'")
      .pluck()
      .get()
    if (table !== 'table') {
      problems.push({ path, reason: 'malformed', detail: 'no table Packages: not an rpm database' })
      return []
    }
    rows = database
      .prepare('SELECT hnum, blob FROM Packages ORDER BY hnum')
      .raw()
      .all() as unknown[][]
  } catch (error) {
    problems.push({
      path,
      reason: 'malformed',
      detail: `not a readable SQLite database: ${(error as Error).message}`,
    })
    return []
  } finally {
    database?.close()
  }
  const records: RpmDatabaseRecord[] = []
  for (const [hnum, blob] of rows) {
    try {
      if (typeof hnum !== 'number' || !(blob instanceof Uint8Array)) {
        throw new Error('a row that is not (integer, blob)')
      }
      records.push({ hnum, header: RpmHeader.parse(blob) })
    } catch (error) {
      problems.push({
        path: `${path}#${String(hnum)}`,
        reason: 'malformed',
        detail: `rpm header: ${(error as Error).message}`,
      })
    }
  }
  return records
}
