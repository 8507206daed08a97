// PAM stacks (/etc/pam.d/<service>) as libpam builds them: one entry per module line, includes
// and substacks expanded in place, so a policy sees the stack a login actually runs.
import type { ConfigFiles, ConfigParser, ConfigSetting, ParsedConfig } from './config-parser.js'
import { listIncludedFiles, readIncludedFile } from './config-file-access.js'
import { configLines, MAX_LINE_CHARS, type ConfigLine } from './config-lines.js'
import { pamTokens } from './pam-tokens.js'
import { ProblemLog } from './problem-log.js'

/** Where libpam looks for an included name: the local directory first, then the vendor's. */
export const PAM_CONFIG_DIRECTORIES = ['/etc/pam.d', '/usr/lib/pam.d'] as const
/** Includes nested deeper than this are reported and skipped (libpam's substack limit). */
export const MAX_PAM_INCLUDE_DEPTH = 16
/** Files one parse includes at most, counting repeats. */
export const MAX_PAM_INCLUDED_FILES = 1000

export const PAM_MODULE_TYPES = ['auth', 'account', 'password', 'session'] as const
export type PamModuleType = (typeof PAM_MODULE_TYPES)[number]

const SIMPLE_CONTROLS = new Set(['required', 'requisite', 'sufficient', 'optional'])

/** One module line of a stack. */
export interface PamEntry {
  readonly type: PamModuleType
  /** The line's type had a `-`: libpam skips the module quietly when it is not installed. */
  readonly skipIfMissing: boolean
  /** `required`, `requisite`, `sufficient`, `optional` (lower case) or `[value=action …]`. */
  readonly control: string
  /** As written: `pam_unix.so` or `/lib/x86_64-linux-gnu/security/pam_unix.so`. */
  readonly modulePath: string
  /** The module's file name: `pam_unix.so`. */
  readonly module: string
  /** The arguments as the module receives them (brackets around an argument removed). */
  readonly args: readonly string[]
  /** 0 in the service's own stack; one more inside each `substack`. */
  readonly substackLevel: number
  readonly file: string
  readonly line: number
}

export interface ParsedPamConfig extends ParsedConfig {
  /**
   * The entries of one module type in the order libpam runs them, includes expanded.
   *
   * @example parsed.stack('password').map((entry) => entry.module)
   * // ['pam_pwquality.so', 'pam_unix.so', 'pam_deny.so', 'pam_permit.so']
   */
  stack(type: string): PamEntry[]
}

export interface PamParser extends ConfigParser {
  parse(file: string, text: string, files: ConfigFiles): ParsedPamConfig
}

/**
 * Parses a PAM service file. Keys: `<type>:<module>` (`password:pam_pwquality.so`), whose value
 * is the arguments as written; and `<type>:<module>:<argument>` (`password:pam_pwquality.so:minlen`),
 * whose value is what follows `=`, or `true` for a bare flag. The effective setting comes from
 * the first entry in stack order that has the key; within that entry, from its last occurrence
 * (modules read their arguments left to right, a later one overriding).
 *
 * @example
 * pamParser.parse('/etc/pam.d/passwd', '@include common-password\n', files)
 *   .effective('password:pam_pwquality.so:minlen')?.value // '14'
 */
export const pamParser: PamParser = {
  name: 'pam',
  parse(file, text, files) {
    const reader = new PamReader(files, new ProblemLog(file))
    reader.readFile(file, text, { type: undefined, substackLevel: 0, chain: [file] })
    return reader.result()
  },
}

interface IncludeContext {
  /** Only lines of this type are read (an `auth include x` line reads x's auth lines). */
  readonly type: PamModuleType | undefined
  readonly substackLevel: number
  readonly chain: readonly string[]
}

interface KeyedSetting {
  readonly setting: ConfigSetting
  /** Which entry of the stack the setting belongs to. */
  readonly entry: number
}

class PamReader {
  readonly #entries: PamEntry[] = []
  readonly #settings: KeyedSetting[] = []
  readonly #lines = new Map<string, ConfigLine[]>()
  #includedFiles = 0
  #limitReported = false

  constructor(
    readonly files: ConfigFiles,
    readonly problems: ProblemLog,
  ) {}

  readFile(file: string, text: string, context: IncludeContext): void {
    for (const { number, text: logical } of this.#logicalLines(file, text)) {
      this.#readLine(file, number, logical, context)
    }
  }

  /** One logical line: a module entry, an include expanded in place, or a problem. */
  #readLine(file: string, number: number, text: string, context: IncludeContext): void {
    const tokens = pamTokens(text)
    const [first, second, third] = tokens
    if (first === undefined) return
    if (tokens.some((token) => token.unclosed === true)) {
      this.problems.add(file, number, 'a [ is not closed; libpam reads to the end of the line')
    }
    if (first.raw === '@include') {
      // Debian's directive: every line of the named file, of the type being read, if any.
      if (second === undefined) this.problems.add(file, number, '@include names no file')
      else this.#include(file, number, second.value, context, 0)
      return
    }
    const skipIfMissing = first.value.startsWith('-')
    const typeName = (skipIfMissing ? first.value.slice(1) : first.value).toLowerCase()
    const type = PAM_MODULE_TYPES.find((candidate) => candidate === typeName)
    if (type === undefined) {
      this.problems.add(file, number, 'an unknown module type (auth, account, password, session)')
      return
    }
    if (context.type !== undefined && type !== context.type) return
    if (second === undefined) {
      this.problems.add(file, number, 'no control (required, requisite, [success=ok …] …)')
      return
    }
    const control = second.raw.startsWith('[') ? second.raw : second.value.toLowerCase()
    if (control === 'include' || control === 'substack') {
      if (third === undefined) {
        this.problems.add(file, number, `${control} names no file`)
      } else {
        const substackLevels = control === 'substack' ? 1 : 0
        this.#include(file, number, third.value, { ...context, type }, substackLevels)
      }
      return
    }
    if (!control.startsWith('[') && !SIMPLE_CONTROLS.has(control)) {
      this.problems.add(file, number, 'an unknown control; libpam treats the module as failing')
    }
    if (third === undefined) {
      this.problems.add(file, number, 'no module')
      return
    }
    this.#add(
      {
        type,
        skipIfMissing,
        control,
        modulePath: third.value,
        module: third.value.slice(third.value.lastIndexOf('/') + 1),
        args: tokens.slice(3).map((token) => token.value),
        substackLevel: context.substackLevel,
        file,
        line: number,
      },
      tokens
        .slice(3)
        .map((token) => token.raw)
        .join(' '),
    )
  }

  #add(entry: PamEntry, argsAsWritten: string): void {
    const index = this.#entries.length
    this.#entries.push(entry)
    const base = `${entry.type}:${entry.module}`
    const at = { file: entry.file, line: entry.line }
    this.#settings.push({ setting: { key: base, value: argsAsWritten, ...at }, entry: index })
    for (const arg of entry.args) {
      const equals = arg.indexOf('=')
      const name = equals === -1 ? arg : arg.slice(0, equals)
      if (name === '') continue
      const value = equals === -1 ? 'true' : arg.slice(equals + 1)
      this.#settings.push({ setting: { key: `${base}:${name}`, value, ...at }, entry: index })
    }
  }

  #include(
    file: string,
    line: number,
    name: string,
    context: IncludeContext,
    substackLevels: number,
  ): void {
    const candidates = name.startsWith('/')
      ? [name]
      : PAM_CONFIG_DIRECTORIES.map((directory) => `${directory}/${name}`)
    // The first directory that has the name wins, even when the snapshot kept no content for it:
    // libpam would not look further either.
    const path = candidates.find((candidate) =>
      listIncludedFiles(this.files, candidate)?.includes(candidate),
    )
    if (path === undefined) {
      // The name is the line's text, which a problem never quotes; the line number points to it.
      const where = name.startsWith('/')
        ? ''
        : ` (looked in ${PAM_CONFIG_DIRECTORIES.join(' and ')})`
      this.problems.add(file, line, `the included file is not in the snapshot${where}`)
      return
    }
    if (context.chain.includes(path)) {
      this.problems.add(file, line, `include loop: ${path} is already being read`)
      return
    }
    if (context.chain.length > MAX_PAM_INCLUDE_DEPTH) {
      this.problems.add(file, line, `includes nested more than ${MAX_PAM_INCLUDE_DEPTH} deep`)
      return
    }
    if (!this.#withinLimit(file, line)) return
    const content = readIncludedFile(this.files, path)
    if (content === undefined) {
      this.problems.add(file, line, `${path} is included but its content is not in the snapshot`)
      return
    }
    this.readFile(path, content, {
      type: context.type,
      substackLevel: context.substackLevel + substackLevels,
      chain: [...context.chain, path],
    })
  }

  /** Counts one more included file; past the limit, false and (the first time) a problem. */
  #withinLimit(file: string, line: number): boolean {
    if (this.#includedFiles < MAX_PAM_INCLUDED_FILES) {
      this.#includedFiles += 1
      return true
    }
    if (!this.#limitReported) {
      this.#limitReported = true
      this.problems.add(file, line, `more than ${MAX_PAM_INCLUDED_FILES} files included`)
    }
    return false
  }

  /**
   * Lines as libpam assembles them: everything from `#` on is a comment, and a line ending in a
   * backslash goes on with the next line that is not blank or a comment.
   */
  #logicalLines(file: string, text: string): ConfigLine[] {
    const cached = this.#lines.get(file)
    if (cached !== undefined) return cached
    const logical: ConfigLine[] = []
    let pending: { number: number; parts: string[]; length: number } | undefined
    const isComment = (trimmed: string) => trimmed.startsWith('#')
    for (const line of configLines(text, file, this.problems, isComment)) {
      const hash = line.text.indexOf('#')
      let content = (hash === -1 ? line.text : line.text.slice(0, hash)).trimEnd()
      const continued = hash === -1 && content.endsWith('\\')
      if (continued) content = content.slice(0, -1)
      pending ??= { number: line.number, parts: [], length: 0 }
      pending.length += content.length + 1
      // Past the limit the parts are dropped, but the line is still followed to its end.
      if (pending.length <= MAX_LINE_CHARS) pending.parts.push(content)
      if (continued) continue
      if (pending.length > MAX_LINE_CHARS) {
        const length = pending.length - 1
        this.problems.add(file, pending.number, `continued line of ${length} characters skipped`)
      } else {
        logical.push({ number: pending.number, text: pending.parts.join(' ') })
      }
      pending = undefined
    }
    if (pending !== undefined && pending.length <= MAX_LINE_CHARS) {
      logical.push({ number: pending.number, text: pending.parts.join(' ') })
    }
    this.#lines.set(file, logical)
    return logical
  }

  result(): ParsedPamConfig {
    const byKey = new Map<string, KeyedSetting[]>()
    for (const keyed of this.#settings) {
      const occurrences = byKey.get(keyed.setting.key)
      if (occurrences === undefined) byKey.set(keyed.setting.key, [keyed])
      else occurrences.push(keyed)
    }
    const entries = this.#entries
    return {
      effective: (key) => {
        const occurrences = byKey.get(key) ?? []
        const entry = occurrences[0]?.entry
        return occurrences.findLast((keyed) => keyed.entry === entry)?.setting
      },
      all: (key) => (byKey.get(key) ?? []).map(({ setting }) => setting),
      stack: (type) => entries.filter((entry) => entry.type === type.toLowerCase()),
      problems: this.problems.list(),
    }
  }
}
