// Worker thread: lstat, read and hash files. Reads synchronously into one reused buffer (the
// fastest way measured on these machines, see DESIGN.md), streams large files in chunks, never
// follows a symlink (O_NOFOLLOW) and never blocks on a FIFO swapped in mid-scan (O_NONBLOCK).
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
import { createHash } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'
import {
  READ_CONTENT,
  READ_HASH,
  type FileReading,
  type HashRequest,
  type StatTuple,
} from './file-reading.js'

const CHUNK = 1 << 20
const buffer = Buffer.allocUnsafe(CHUNK)
const contentMaxBytes = (workerData as { contentMaxBytes: number }).contentMaxBytes
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK
let noAtime = constants.O_NOATIME

function toTuple(stat: Stats): StatTuple {
  return [
    stat.mode,
    stat.uid,
    stat.gid,
    stat.size,
    stat.mtimeMs,
    stat.ctimeMs,
    stat.ino,
    stat.nlink,
  ]
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message
}

function openNoFollow(path: Buffer): number {
  try {
    return openSync(path, OPEN_FLAGS | noAtime)
  } catch (error) {
    // O_NOATIME is refused (EPERM) on files we do not own unless we are root.
    if (noAtime !== 0 && errorCode(error) === 'EPERM') {
      noAtime = 0
      return openSync(path, OPEN_FLAGS)
    }
    throw error
  }
}

function sameState(a: Stats, b: Stats): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino
}

function hashOpenFile(fd: number, keepContent: boolean): { sha256: string; content?: string } {
  const hash = createHash('sha256')
  let kept: Buffer | undefined
  let total = 0
  for (;;) {
    const read = readSync(fd, buffer, 0, CHUNK, null)
    if (read === 0) break
    const chunk = buffer.subarray(0, read)
    hash.update(chunk)
    if (keepContent && total + read <= contentMaxBytes) {
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

function readOne(prefix: string, rawPath: string, flags: number): FileReading {
  const hostPath = Buffer.from(prefix + rawPath, 'latin1')
  let stat: Stats
  try {
    stat = lstatSync(hostPath)
  } catch (error) {
    return { rawPath, problem: { reason: 'vanished', detail: errorCode(error) } }
  }
  if (stat.isSymbolicLink()) {
    try {
      return { rawPath, stat: toTuple(stat), target: readlinkSync(hostPath, 'latin1') }
    } catch (error) {
      return {
        rawPath,
        stat: toTuple(stat),
        problem: { reason: 'vanished', detail: errorCode(error) },
      }
    }
  }
  if (!stat.isFile() || (flags & (READ_HASH | READ_CONTENT)) === 0) {
    return { rawPath, stat: toTuple(stat) }
  }
  for (let attempt = 0; ; attempt++) {
    let fd: number
    try {
      fd = openNoFollow(hostPath)
    } catch (error) {
      const code = errorCode(error)
      const reason =
        code === 'ENOENT' ? 'vanished' : code === 'ELOOP' ? 'changed-during-scan' : 'unreadable'
      return { rawPath, stat: toTuple(stat), problem: { reason, detail: code } }
    }
    try {
      const before = fstatSync(fd)
      if (!before.isFile() || before.ino !== stat.ino) {
        return {
          rawPath,
          stat: toTuple(stat),
          problem: { reason: 'changed-during-scan', detail: 'replaced' },
        }
      }
      const digest = hashOpenFile(fd, (flags & READ_CONTENT) !== 0)
      const after = fstatSync(fd)
      if (sameState(before, after)) {
        return { rawPath, stat: toTuple(after), ...digest }
      }
      if (attempt >= 1) {
        return {
          rawPath,
          stat: toTuple(after),
          problem: { reason: 'changed-during-scan', detail: 'written while read' },
        }
      }
      stat = after
    } catch (error) {
      return {
        rawPath,
        stat: toTuple(stat),
        problem: { reason: 'unreadable', detail: errorCode(error) },
      }
    } finally {
      closeSync(fd)
    }
  }
}

parentPort?.on('message', (request: HashRequest) => {
  const readings: FileReading[] = new Array<FileReading>(request.paths.length)
  for (let i = 0; i < request.paths.length; i++) {
    readings[i] = readOne(request.prefix, request.paths[i] as string, request.flags[i] ?? 0)
  }
  parentPort?.postMessage(readings)
})
