// Reads /etc/sudoers and everything it includes, through the Target, as sudo does: includes
// in place, include directories in sorted order skipping names sudo skips, relative paths
// against the including file's directory. Loops and runaway nesting are problems for the
// include that causes them.
import { hash } from 'node:crypto'
import { posix } from 'node:path'
import { escapeBytes } from '../../../model/index.js'
import type { Target } from '../../../target/index.js'
import { configLines, readConfigText } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { parseSudoers, type SudoersEntry } from './sudoers-parser.js'

export const SUDOERS_PATH = '/etc/sudoers'
/** sudo's own limit on nested includes. */
export const MAX_INCLUDE_DEPTH = 128
/**
 * Files read per collection at most: with links a few includes can name each other in an
 * exponential number of ways, and each way is finite and loop-free as paths go.
 */
export const MAX_SUDOERS_FILES = 1024

/** A sudoers entry and the file it is written in. */
export type SourcedSudoersEntry = Exclude<SudoersEntry, { kind: 'include' }> & {
  readonly source: string
}

/**
 * Every entry of the sudoers policy, includes resolved, in the order sudo reads them. A missing
 * /etc/sudoers (sudo not installed) gives no entries and no problem.
 *
 * @example readSudoers(openTarget({ root: '/srv/img' }), problems)
 */
export function readSudoers(
  target: Target,
  problems: CollectionProblem[],
  path = SUDOERS_PATH,
): SourcedSudoersEntry[] {
  const reader = new IncludeWalk(target, problems)
  reader.readFile(path, [])
  return reader.entries
}

/** A file or directory being read, outermost first. */
interface Frame {
  readonly path: string
  /** SHA-256 of a file's text: the same text reached by another path is a loop through a link. */
  readonly digest?: string
}

class IncludeWalk {
  readonly entries: SourcedSudoersEntry[] = []
  /** Files already read: reading one again (a second include of it) would add nothing. */
  private readonly read = new Set<string>()
  private budgetReported = false

  constructor(
    private readonly target: Target,
    private readonly problems: CollectionProblem[],
  ) {}

  /**
   * Reads one file and what it includes; false when it does not exist.
   * @param where the include directive that names it (`file:line`)
   * @param depth how many files are being read around it
   */
  readFile(path: string, stack: readonly Frame[], depth = 0, where = path): boolean {
    const before = this.problems.length
    const text = readConfigText(this.target, path, this.problems)
    if (text === undefined) return this.problems.length > before
    this.read.add(path)
    const digest = hash('sha256', text, 'base64')
    if (stack.some((frame) => frame.digest === digest)) {
      // The same text again inside itself: a link leads back to a file being read. Reading it
      // would add the same rules again, and again, until the depth limit.
      this.loop(where, `${path} repeats a file that includes it (a loop through a link)`)
      return true
    }
    const inner = [...stack, { path, digest }]
    for (const entry of parseSudoers(configLines(text, path, this.problems), path, this.problems)) {
      if (entry.kind === 'include') {
        // The display form, as Target paths are: a backslash left in the path is a character.
        const included = escapeBytes(Buffer.from(posix.resolve(posix.dirname(path), entry.path)))
        this.follow(included, entry.directory, `${path}:${entry.line}`, inner, depth + 1)
      } else {
        this.entries.push({ ...entry, source: path })
      }
    }
    return true
  }

  private follow(
    included: string,
    directory: boolean,
    where: string,
    stack: readonly Frame[],
    depth: number,
  ): void {
    if (stack.some((frame) => frame.path === included)) {
      this.loop(where, `${included} includes itself`)
    } else if (directory) {
      this.readDirectory(included, where, [...stack, { path: included }], depth)
    } else if (!this.read.has(included) && this.withinLimits(where, depth)) {
      if (!this.readFile(included, stack, depth, where)) {
        this.problems.push({
          path: where,
          reason: 'unreadable',
          detail: `included file ${included} does not exist`,
        })
      }
    }
  }

  private withinLimits(where: string, depth: number): boolean {
    if (depth > MAX_INCLUDE_DEPTH) {
      this.loop(where, `more than ${MAX_INCLUDE_DEPTH} nested includes`)
      return false
    }
    if (this.read.size >= MAX_SUDOERS_FILES) {
      // Once is enough: every include still pending would say the same.
      if (!this.budgetReported) this.loop(where, `more than ${MAX_SUDOERS_FILES} files included`)
      this.budgetReported = true
      return false
    }
    return true
  }

  private loop(where: string, detail: string): void {
    this.problems.push({ path: where, reason: 'include-loop', detail })
  }

  private readDirectory(
    directory: string,
    where: string,
    stack: readonly Frame[],
    depth: number,
  ): void {
    let names: string[] | undefined
    try {
      names = this.target.listDirectory(directory)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error'
      this.problems.push({ path: directory, reason: 'unreadable', detail: code })
      return
    }
    // sudo ignores a missing include directory.
    if (names === undefined) return
    for (const name of names) {
      // Editors' backups (`file~`) and package leftovers (`file.dpkg-old`) are not read by sudo.
      if (name.endsWith('~') || name.includes('.')) continue
      const path = `${directory === '/' ? '' : directory}/${name}`
      if (this.read.has(path) || !this.isFile(path)) continue
      if (!this.withinLimits(where, depth)) return
      this.readFile(path, stack, depth, where)
    }
  }

  /** sudo reads regular files (through links) only: a subdirectory is not an include. */
  private isFile(path: string): boolean {
    try {
      const type = this.target.entryType(path)
      if (type === 'symlink') return this.target.listDirectory(path) === undefined
      return type === 'file'
    } catch {
      return true // reading it reports why it cannot be read
    }
  }
}
