// A Target over a directory that holds a system's `/`: an unpacked VM image, a chroot — or, with
// `/` itself, the live host.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
} from 'node:fs'
import { escapeBytes, fsPath, unescapeToRawPath } from '../model/index.js'
import { readMountTable, PSEUDO_FILESYSTEM_TYPES } from './mount-table.js'
import { isNotFound, resolveInRoot } from './resolve-in-root.js'
import type { EntryType, Target, TargetKind } from './target.js'

export class DirectoryTarget implements Target {
  readonly kind: TargetKind
  readonly description: string
  readonly live: boolean
  readonly rawRoot: string
  private readonly prefix: string
  private pseudoMounts: ReadonlySet<string> | undefined

  /** @param rawRoot absolute, symlink-free host path of the root, as a raw byte string */
  constructor(rawRoot: string, options: { live: boolean; description: string }) {
    this.rawRoot = rawRoot
    this.prefix = rawRoot === '/' ? '' : rawRoot.replace(/\/+$/, '')
    this.live = options.live
    this.kind = options.live ? 'local' : 'directory'
    this.description = options.description
  }

  hostPath(rawSystemPath: string): string {
    return this.prefix + rawSystemPath
  }

  readFile(systemPath: string, maxBytes: number): Buffer | undefined {
    const rawSystemPath = unescapeToRawPath(systemPath)
    const resolved = this.resolve(rawSystemPath)
    if (resolved === undefined) return undefined
    let fd: number
    try {
      fd = openSync(
        fsPath(this.hostPath(resolved)),
        // Resolved inside the root: the final component is no link (unless one was swapped in).
        constants.O_RDONLY | constants.O_NONBLOCK | (this.prefix === '' ? 0 : constants.O_NOFOLLOW),
      )
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
    try {
      const stat = fstatSync(fd)
      if (!stat.isFile()) throw new Error(`${systemPath} is not a regular file`)
      // Files in /proc report a size of 0 yet have content: read those to the end.
      if (stat.size === 0) return readToEnd(fd, systemPath, maxBytes)
      if (stat.size > maxBytes) {
        throw new Error(`${systemPath} is ${stat.size} bytes, more than the ${maxBytes} allowed`)
      }
      const buffer = Buffer.alloc(stat.size)
      let offset = 0
      while (offset < buffer.length) {
        const read = readSync(fd, buffer, offset, buffer.length - offset, null)
        if (read === 0) break
        offset += read
      }
      return buffer.subarray(0, offset)
    } finally {
      closeSync(fd)
    }
  }

  listDirectory(systemPath: string): string[] | undefined {
    const resolved = this.resolve(unescapeToRawPath(systemPath))
    if (resolved === undefined) return undefined
    try {
      const names = readdirSync(fsPath(this.hostPath(resolved)), {
        encoding: 'buffer',
      })
      return names.map((name) => escapeBytes(name)).sort()
    } catch (error) {
      if (isNotFound(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined
      throw error
    }
  }

  readLink(systemPath: string): string | undefined {
    const parent = this.resolveParent(systemPath)
    if (parent === undefined) return undefined
    try {
      return escapeBytes(readlinkSync(fsPath(this.hostPath(parent)), { encoding: 'buffer' }))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (isNotFound(error) || code === 'EINVAL') return undefined
      throw error
    }
  }

  entryType(systemPath: string): EntryType | undefined {
    const parent = this.resolveParent(systemPath)
    if (parent === undefined) return undefined
    try {
      const stat = lstatSync(fsPath(this.hostPath(parent)))
      if (stat.isFile()) return 'file'
      if (stat.isDirectory()) return 'directory'
      if (stat.isSymbolicLink()) return 'symlink'
      return 'other'
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  /**
   * A raw system path with its symlinks resolved inside the root. On the live host the root is
   * `/`, and the kernel's own resolution can never leave it: the path is used as it is, which
   * saves an lstat per component (the /proc/sys walk reads 1,300 files).
   */
  private resolve(raw: string): string | undefined {
    return this.prefix === '' ? raw : resolveInRoot(this.rawRoot, raw)
  }

  /** The raw system path with every component but the last resolved inside the root. */
  private resolveParent(systemPath: string): string | undefined {
    const raw = unescapeToRawPath(systemPath)
    if (this.prefix === '') return raw
    const slash = raw.lastIndexOf('/')
    const name = raw.slice(slash + 1)
    if (name === '' || name === '.' || name === '..') return resolveInRoot(this.rawRoot, raw)
    const parent = resolveInRoot(this.rawRoot, raw.slice(0, slash) || '/')
    if (parent === undefined) return undefined
    return `${parent === '/' ? '' : parent}/${name}`
  }

  pseudoFilesystemMounts(): ReadonlySet<string> {
    if (this.pseudoMounts !== undefined) return this.pseudoMounts
    const found = new Set<string>()
    for (const mount of readMountTable()) {
      if (!PSEUDO_FILESYSTEM_TYPES.has(mount.fsType)) continue
      if (this.prefix === '') found.add(mount.rawPath)
      else if (mount.rawPath.startsWith(`${this.prefix}/`)) {
        found.add(mount.rawPath.slice(this.prefix.length))
      }
    }
    this.pseudoMounts = found
    return found
  }
}

/**
 * One buffer for every read of a file whose size is not known: a /proc walk reads a thousand
 * small files, and a fresh zero-filled 64 KiB for each read was most of its time (and of the
 * garbage collector's). Reads are synchronous, so no two can share it at once.
 */
const scratch = Buffer.allocUnsafe(64 * 1024)

/** Reads a file whose size is not known in advance, refusing more than `maxBytes`. */
function readToEnd(fd: number, systemPath: string, maxBytes: number): Buffer {
  const chunks: Buffer[] = []
  let total = 0
  for (;;) {
    const read = readSync(fd, scratch, 0, Math.min(scratch.length, maxBytes - total + 1), null)
    if (read === 0) break
    total += read
    if (total > maxBytes) {
      throw new Error(`${systemPath} reads as more than the ${maxBytes} allowed bytes`)
    }
    chunks.push(Buffer.from(scratch.subarray(0, read)))
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total)
}
