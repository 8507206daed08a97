// Reads a batch of paths: lstat, read and hash files, and build their elements. Runs in the hash
// workers and, for a share of the batches, on the main thread. Reads synchronously into one
// reused buffer (the fastest way measured on these machines, see DESIGN.md), streams large files
// in chunks, never follows a symlink (O_NOFOLLOW) and never blocks on a FIFO swapped in mid-scan
// (O_NONBLOCK).
import { createHash } from 'node:crypto'
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  type Stats,
} from 'node:fs'
import { attributesDigest, fsPath } from '../../model/index.js'
import { buildFileElement, statTuple, type FileObservation } from './file-element.js'
import {
  KNOWN_REGULAR_FILE,
  READ_CONTENT,
  READ_HASH,
  type HashReply,
  type HashRequest,
  type HashWorkerSetup,
  type NotCheckedReason,
  type ReadingExtra,
} from './file-reading.js'
import type { FileAttribute } from './file-rules.js'
import type { OwnerNames } from '../owner-names.js'

const CHUNK = 1 << 20
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message
}

function sameState(a: Stats, b: Stats): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino
}

interface Observed {
  readonly observation?: FileObservation
  readonly problem?: { reason: NotCheckedReason; detail: string }
  readonly hashedBytes?: number
}

export class FileReader {
  private readonly buffer = Buffer.allocUnsafe(CHUNK)
  private readonly attributeSets: ReadonlySet<FileAttribute>[]
  private readonly names: OwnerNames
  private noAtime = constants.O_NOATIME

  constructor(private readonly setup: HashWorkerSetup) {
    this.attributeSets = setup.attributeSets.map((set) => new Set(set as FileAttribute[]))
    this.names = { users: new Map(setup.users), groups: new Map(setup.groups) }
  }

  /** Reads every path of the request, in order. */
  read(request: HashRequest): HashReply {
    const reply: HashReply = { keys: [], attributes: [], digests: [], hashedBytes: 0, extras: [] }
    for (let i = 0; i < request.paths.length; i++) {
      this.readOne(
        request.prefix,
        request.paths[i] as string,
        request.flags[i] ?? 0,
        request.attributeSets[i] ?? 0,
        i,
        reply,
      )
    }
    return reply
  }

  private openNoFollow(path: string | Buffer): number {
    try {
      return openSync(path, OPEN_FLAGS | this.noAtime)
    } catch (error) {
      // O_NOATIME is refused (EPERM) on files we do not own unless we are root.
      if (this.noAtime !== 0 && errorCode(error) === 'EPERM') {
        this.noAtime = 0
        return openSync(path, OPEN_FLAGS)
      }
      throw error
    }
  }

  private hashOpenFile(fd: number, keepContent: boolean): { sha256: string; content?: string } {
    const hash = createHash('sha256')
    let kept: Buffer | undefined
    let total = 0
    for (;;) {
      const read = readSync(fd, this.buffer, 0, CHUNK, null)
      if (read === 0) break
      const chunk = this.buffer.subarray(0, read)
      hash.update(chunk)
      if (keepContent && total + read <= this.setup.contentMaxBytes) {
        kept = kept === undefined ? Buffer.from(chunk) : Buffer.concat([kept, chunk])
      } else {
        kept = undefined
        keepContent = false
      }
      total += read
    }
    const sha256 = hash.digest('hex')
    if (kept === undefined || kept.includes(0)) return { sha256 }
    try {
      return { sha256, content: decoder.decode(kept) }
    } catch {
      return { sha256 }
    }
  }

  private observe(hostPath: string | Buffer, flags: number): Observed {
    if ((flags & KNOWN_REGULAR_FILE) !== 0 && (flags & (READ_HASH | READ_CONTENT)) !== 0) {
      const direct = this.readKnownFile(hostPath, flags)
      if (direct !== undefined) return direct
    }
    let stat: Stats
    try {
      stat = lstatSync(hostPath)
    } catch (error) {
      return { problem: { reason: 'vanished', detail: errorCode(error) } }
    }
    if (stat.isSymbolicLink()) {
      try {
        return { observation: { stat: statTuple(stat), target: readlinkSync(hostPath, 'latin1') } }
      } catch (error) {
        return {
          observation: { stat: statTuple(stat) },
          problem: { reason: 'vanished', detail: errorCode(error) },
        }
      }
    }
    if (!stat.isFile() || (flags & (READ_HASH | READ_CONTENT)) === 0) {
      return { observation: { stat: statTuple(stat) } }
    }
    const unhashed = (reason: NotCheckedReason, detail: string, current: Stats): Observed => ({
      observation: { stat: statTuple(current), unhashed: true },
      problem: { reason, detail },
    })
    for (let attempt = 0; ; attempt++) {
      let fd: number
      try {
        fd = this.openNoFollow(hostPath)
      } catch (error) {
        const code = errorCode(error)
        if (code === 'ENOENT') return { problem: { reason: 'vanished', detail: code } }
        return unhashed(code === 'ELOOP' ? 'changed-during-scan' : 'unreadable', code, stat)
      }
      try {
        const before = fstatSync(fd)
        if (!before.isFile() || before.ino !== stat.ino) {
          return unhashed('changed-during-scan', 'replaced while scanned', stat)
        }
        const hashed = this.hashUnchanged(fd, before, flags)
        if (hashed.observed !== undefined) return hashed.observed
        if (attempt >= 1) return unhashed('changed-during-scan', 'written while read', hashed.after)
        stat = hashed.after
      } catch (error) {
        return unhashed('unreadable', errorCode(error), stat)
      } finally {
        closeSync(fd)
      }
    }
  }

  /**
   * Hashes an open file; the observation only when the file did not change while it was read
   * (same size, times and inode before and after), else the state it was found in afterwards.
   */
  private hashUnchanged(
    fd: number,
    before: Stats,
    flags: number,
  ): { observed?: Observed; after: Stats } {
    const digest = this.hashOpenFile(fd, (flags & READ_CONTENT) !== 0)
    const after = fstatSync(fd)
    if (!sameState(before, after)) return { after }
    return {
      observed: { observation: { stat: statTuple(after), ...digest }, hashedBytes: after.size },
      after,
    }
  }

  /**
   * For a path readdir reported as a regular file: open without following links or blocking, fstat,
   * and read only if it is still a regular file. This saves the lstat; the window between readdir
   * and open is the same race as between lstat and open, and is closed the same way: nothing that
   * is not a regular file once opened is ever read. Returns undefined to fall back to lstat.
   */
  private readKnownFile(hostPath: string | Buffer, flags: number): Observed | undefined {
    let fd: number
    try {
      fd = this.openNoFollow(hostPath)
    } catch (error) {
      const code = errorCode(error)
      if (code === 'ENOENT') return { problem: { reason: 'vanished', detail: code } }
      return undefined
    }
    try {
      const before = fstatSync(fd)
      if (!before.isFile()) return { observation: { stat: statTuple(before) } }
      return this.hashUnchanged(fd, before, flags).observed
    } catch {
      return undefined
    } finally {
      closeSync(fd)
    }
  }

  private readOne(
    prefix: string,
    rawPath: string,
    flags: number,
    attributeSet: number,
    index: number,
    reply: HashReply,
  ): void {
    const hostPath = fsPath(prefix + rawPath)
    const { observation, problem, hashedBytes } = this.observe(hostPath, flags)
    const extra: { -readonly [K in keyof ReadingExtra]: ReadingExtra[K] } = { index }
    if (problem !== undefined) extra.problem = problem
    if (observation === undefined) {
      reply.keys.push('')
      reply.attributes.push('')
      reply.digests.push('')
    } else {
      const wanted =
        this.attributeSets[attributeSet] ?? this.attributeSets[0] ?? new Set<FileAttribute>()
      const element = buildFileElement(rawPath, observation, wanted, this.names)
      reply.keys.push(element.key)
      // buildFileElement inserts attributes in display order: already canonical.
      const attributes = JSON.stringify(element.attributes)
      reply.attributes.push(attributes)
      reply.digests.push(attributesDigest(attributes))
      if (element.content !== undefined) {
        extra.content = element.content
        extra.contentSha256 = element.attributes['sha256'] as string
      }
      if (element.unverified !== undefined) extra.unverified = element.unverified
      if ((observation.stat[0] & constants.S_IFMT) === constants.S_IFDIR) extra.isDirectory = true
    }
    ;(reply as { hashedBytes: number }).hashedBytes += hashedBytes ?? 0
    if (Object.keys(extra).length > 1) reply.extras.push(extra)
  }
}
