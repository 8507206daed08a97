// The file collector: walks what the rules select inside a Target and turns every path into a
// `file:` element. The walk runs on the main thread; reading and hashing run a batch of paths at
// a time on worker threads and, whenever every worker has enough queued, on the main thread.
import { lstatSync, readdirSync, type Dirent, type Stats } from 'node:fs'
import {
  escapeRawPath,
  fsPath,
  serializeElement,
  unescapeToRawPath,
  type SerializedElement,
} from '../../model/index.js'
import type { Target } from '../../target/index.js'
import { buildFileElement, statTuple } from './file-element.js'
import {
  KNOWN_REGULAR_FILE,
  READ_CONTENT,
  READ_HASH,
  type HashReply,
  type HashRequest,
  type NotCheckedReason,
} from './file-reading.js'
import type { FileRules } from './file-rules.js'
import { HashPool } from './hash-pool.js'
import { readOwnerNames, type OwnerNames } from '../owner-names.js'
import { RuleMatcher, type CompiledRule } from './rule-matcher.js'

const BATCH_SIZE = 256

export interface NotChecked {
  /** Display path (see docs/elements.md for the escaping of non-UTF-8 names). */
  readonly path: string
  readonly reason: NotCheckedReason
  readonly detail: string
}

export interface FileScanProgress {
  readonly entries: number
  readonly bytes: number
}

export interface FileScanResult {
  readonly entries: number
  /** Bytes of regular files read and hashed. */
  readonly bytes: number
  readonly notChecked: readonly NotChecked[]
  /** Display paths of directories whose contents could not be listed. */
  readonly unlisted: readonly string[]
}

export interface FileCollectorOptions {
  /** Hashing threads, the main thread included; defaults to the number of cores. */
  readonly threads?: number
  readonly onProgress?: (progress: FileScanProgress) => void
  /** Called after each directory has been listed (host path, raw bytes): lets tests act mid-scan. */
  readonly onDirectoryListed?: (rawHostPath: string) => void
}

interface PendingDirectory {
  readonly rawPath: string
  readonly rule: CompiledRule
  readonly device: number
}

interface Batch {
  readonly paths: string[]
  readonly flags: number[]
  readonly attributeSets: number[]
  readonly rules: CompiledRule[]
  readonly devices: number[]
}

export class FileCollector {
  private readonly matcher: RuleMatcher
  private readonly names: OwnerNames
  private readonly pseudoMounts: ReadonlySet<string>
  private readonly prefix: string
  private readonly stack: PendingDirectory[] = []
  private readonly notChecked: NotChecked[] = []
  private readonly unlisted: string[] = []
  private batch: Batch = emptyBatch()
  private entries = 0
  private bytes = 0
  private emit: (element: SerializedElement) => void = () => undefined
  /** Started with the collector, so the workers load while the caller does other work. */
  private readonly pool: HashPool

  constructor(
    private readonly target: Target,
    private readonly rules: FileRules,
    private readonly options: FileCollectorOptions = {},
  ) {
    this.matcher = new RuleMatcher(rules)
    this.names = readOwnerNames(target)
    this.pseudoMounts = target.pseudoFilesystemMounts()
    this.prefix = target.rawRoot === '/' ? '' : target.rawRoot.replace(/\/+$/, '')
    this.pool = new HashPool(
      {
        contentMaxBytes: rules.contentMaxBytes,
        attributeSets: this.matcher.rules.map((compiled) => [...compiled.attributes]),
        users: [...this.names.users],
        groups: [...this.names.groups],
      },
      options.threads === undefined ? {} : { threads: options.threads },
    )
  }

  /**
   * Walks every rule and calls `onElement` for each element, in no particular order. A collector
   * collects once: its workers stop when it is done.
   */
  async collect(onElement: (element: SerializedElement) => void): Promise<FileScanResult> {
    this.emit = onElement
    const pool = this.pool
    const inFlight = new Set<Promise<void>>()
    const starts = [...this.matcher.rules]
    try {
      for (;;) {
        // Keep every worker fed…
        while (pool.workerHasRoom) {
          const batch = this.nextBatch(starts)
          if (batch === undefined) break
          const job: Promise<void> = pool
            .dispatch(this.request(batch))
            .then((reply) => this.record(batch, reply))
            .finally(() => inFlight.delete(job))
          inFlight.add(job)
        }
        // …then read one batch here, and let the workers' replies in before the next.
        const batch = this.nextBatch(starts)
        if (batch !== undefined) {
          this.record(batch, pool.readHere(this.request(batch)))
          await new Promise<void>((resolve) => setImmediate(resolve))
          continue
        }
        if (inFlight.size === 0) break
        await Promise.race(inFlight)
      }
    } finally {
      await this.close()
    }
    return {
      entries: this.entries,
      bytes: this.bytes,
      notChecked: this.notChecked,
      unlisted: this.unlisted,
    }
  }

  private request(batch: Batch): HashRequest {
    return {
      prefix: this.prefix,
      paths: batch.paths,
      flags: batch.flags,
      attributeSets: batch.attributeSets,
    }
  }

  /** Stops the workers (when the collector is not used after all). */
  async close(): Promise<void> {
    await this.pool.close()
  }

  /** Walks until a batch of non-directory paths is full or the walk is over. */
  private nextBatch(starts: CompiledRule[]): Batch | undefined {
    while (this.batch.paths.length < BATCH_SIZE) {
      const directory = this.stack.pop()
      if (directory !== undefined) {
        this.listDirectory(directory)
        continue
      }
      const start = starts.shift()
      if (start === undefined) break
      this.startRule(start)
    }
    if (this.batch.paths.length === 0) return undefined
    const full = this.batch
    this.batch = emptyBatch()
    return full
  }

  private startRule(compiled: CompiledRule): void {
    // Rule paths are written as paths are shown: \xNN names a byte that is not UTF-8.
    const rawPath = unescapeToRawPath(compiled.base === '' ? '/' : compiled.base)
    const components = rawPath.split('/').filter(Boolean)
    for (let depth = 1; depth < components.length; depth++) {
      const parent = `/${components.slice(0, depth).join('/')}`
      const stat = this.lstat(parent)
      if (stat === undefined)
        return this.skip(rawPath, 'rule-path-missing', `${escapeRawPath(parent)} does not exist`)
      if (stat.isSymbolicLink()) {
        return this.skip(
          rawPath,
          'rule-path-through-symlink',
          `${escapeRawPath(parent)} is a symlink; write the rule for the path it points to`,
        )
      }
    }
    const stat = this.lstat(rawPath)
    if (stat === undefined) return this.skip(rawPath, 'rule-path-missing', 'does not exist')
    if (stat.isDirectory()) {
      this.recordDirectory(rawPath, stat, compiled)
      if (compiled.rule.recurse) this.stack.push({ rawPath, rule: compiled, device: stat.dev })
      return
    }
    this.enqueue(rawPath, compiled, stat.dev)
  }

  private listDirectory(directory: PendingDirectory): void {
    const hostPath = fsPath(this.prefix + directory.rawPath)
    let dirents: Dirent[]
    try {
      dirents = readdirSync(hostPath, { withFileTypes: true, encoding: 'latin1' })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error'
      this.unlisted.push(escapeRawPath(directory.rawPath))
      return this.skip(directory.rawPath, code === 'ENOENT' ? 'vanished' : 'unreadable', code)
    }
    this.options.onDirectoryListed?.(this.prefix + directory.rawPath)
    const base = directory.rawPath === '/' ? '' : directory.rawPath
    for (const dirent of dirents) {
      const rawPath = `${base}/${dirent.name}`
      const displayPath = escapeRawPath(rawPath)
      if (this.matcher.startsOtherRule(displayPath, directory.rule)) continue
      if (this.matcher.isExcluded(displayPath, directory.rule)) continue
      if (dirent.isDirectory()) this.visitDirectory(rawPath, directory)
      else this.enqueue(rawPath, directory.rule, directory.device, dirent.isFile())
    }
  }

  private visitDirectory(rawPath: string, parent: PendingDirectory): void {
    const stat = this.lstat(rawPath)
    if (stat === undefined) return this.skip(rawPath, 'vanished', 'ENOENT')
    if (!stat.isDirectory()) return this.enqueue(rawPath, parent.rule, parent.device)
    this.recordDirectory(rawPath, stat, parent.rule)
    this.descend(rawPath, parent.rule, parent.device, stat.dev)
  }

  private descend(rawPath: string, rule: CompiledRule, device: number, ownDevice: number): void {
    if (this.pseudoMounts.has(rawPath)) {
      return this.skip(
        rawPath,
        'pseudo-filesystem',
        'mount point of a pseudo filesystem, not entered',
      )
    }
    if (ownDevice !== device && this.rules.oneFilesystem) {
      return this.skip(
        rawPath,
        'other-filesystem',
        'mount point of another filesystem, not entered',
      )
    }
    this.stack.push({ rawPath, rule, device: ownDevice })
  }

  private enqueue(rawPath: string, rule: CompiledRule, device: number, knownFile = false): void {
    let flags = rule.attributes.has('sha256') ? READ_HASH : 0
    if (knownFile) flags |= KNOWN_REGULAR_FILE
    if (this.matcher.keepsContent(escapeRawPath(rawPath), rule)) flags |= READ_CONTENT
    this.batch.paths.push(rawPath)
    this.batch.flags.push(flags)
    this.batch.attributeSets.push(rule.index)
    this.batch.rules.push(rule)
    this.batch.devices.push(device)
  }

  private record(batch: Batch, reply: HashReply): void {
    const extras = new Map(reply.extras.map((extra) => [extra.index, extra]))
    for (let index = 0; index < reply.keys.length; index++) {
      const extra = extras.get(index)
      const rawPath = batch.paths[index] as string
      if (extra?.problem !== undefined)
        this.skip(rawPath, extra.problem.reason, extra.problem.detail)
      const key = reply.keys[index] as string
      if (key === '') continue
      this.entries += 1
      this.emit(
        extra === undefined
          ? {
              key,
              attributes: reply.attributes[index] as string,
              digest: reply.digests[index] as string,
            }
          : {
              key,
              attributes: reply.attributes[index] as string,
              digest: reply.digests[index] as string,
              content: extra.content,
              contentSha256: extra.contentSha256,
              unverified: extra.unverified,
            },
      )
      // A directory where readdir saw something else (replaced mid-scan, or a type it did not know).
      const rule = batch.rules[index] as CompiledRule
      if (extra?.isDirectory === true && rule.rule.recurse) {
        const stat = this.lstat(rawPath)
        if (stat?.isDirectory())
          this.descend(rawPath, rule, batch.devices[index] as number, stat.dev)
      }
    }
    this.bytes += reply.hashedBytes
    this.options.onProgress?.({ entries: this.entries, bytes: this.bytes })
  }

  private recordDirectory(rawPath: string, stat: Stats, rule: CompiledRule): void {
    this.entries += 1
    this.emit(
      serializeElement(
        buildFileElement(rawPath, { stat: statTuple(stat) }, rule.attributes, this.names),
      ),
    )
  }

  private lstat(rawPath: string): Stats | undefined {
    try {
      return lstatSync(fsPath(this.prefix + rawPath))
    } catch {
      return undefined
    }
  }

  private skip(rawPath: string, reason: NotCheckedReason, detail: string): void {
    this.notChecked.push({ path: escapeRawPath(rawPath), reason, detail })
  }
}

function emptyBatch(): Batch {
  return { paths: [], flags: [], attributeSets: [], rules: [], devices: [] }
}
