// sshd_config as OpenSSH's sshd reads it: case-insensitive keywords, the first value obtained
// wins, Include expanded in place, and Match blocks that apply only to the connections they match.
import type { ConfigFiles, ConfigParser, ConfigSetting, ParsedConfig } from './config-parser.js'
import { listIncludedFiles, readIncludedFile } from './config-file-access.js'
import { configLines, type ConfigLine } from './config-lines.js'
import { ProblemLog } from './problem-log.js'
import {
  ACCUMULATED_OPTIONS,
  GLOBAL_ONLY_OPTIONS,
  LAST_WINS_OPTIONS,
  sshdOption,
} from './sshd-keywords.js'
import { splitSshdLine } from './sshd-line.js'
import {
  matchesConnection,
  parseMatchCondition,
  type MatchCondition,
  type SshdConnection,
} from './sshd-match.js'

/** Relative Include paths resolve here, whatever the main file's directory (sshd's SSHDIR). */
export const SSHD_CONFIG_DIRECTORY = '/etc/ssh'
/** sshd refuses includes nested deeper than this. */
export const MAX_INCLUDE_DEPTH = 16
/** Files one parse includes at most, counting repeats: bounds a hostile fan-out of includes. */
export const MAX_INCLUDED_FILES = 1000

/** A parsed sshd_config, which can also answer for a connection that matches Match blocks. */
export interface ParsedSshdConfig extends ParsedConfig {
  /**
   * The setting sshd applies to a connection: the first value from the Match blocks the
   * connection matches, else the first value outside them. `effective(key)` is
   * `effectiveFor(key, {})`.
   */
  effectiveFor(key: string, connection: SshdConnection): ConfigSetting | undefined
}

export interface SshdParser extends ConfigParser {
  parse(file: string, text: string, files: ConfigFiles): ParsedSshdConfig
}

/**
 * Parses sshd_config. Keys are keywords in lower case (`permitrootlogin`), so a policy need not
 * know how the file spells them; values are the arguments with quotes removed, joined by one
 * space.
 *
 * @example
 * const parsed = sshdParser.parse('/etc/ssh/sshd_config', 'PermitRootLogin no\n', files)
 * parsed.effective('PermitRootLogin')?.value // 'no'
 */
export const sshdParser: SshdParser = {
  name: 'sshd',
  parse(file, text, files) {
    const reader = new SshdReader(files, new ProblemLog(file))
    reader.readFile(file, text, [], [file])
    return reader.result()
  },
}

interface SshdEntry {
  readonly setting: ConfigSetting
  /** The keyword, lower case, aliases resolved. */
  readonly option: string
  /** The Match conditions in force, outermost include first; empty outside any Match block. */
  readonly scope: readonly MatchCondition[]
}

class SshdReader {
  readonly #entries: SshdEntry[] = []
  readonly #lines = new Map<string, ConfigLine[]>()
  #includedFiles = 0
  #limitReported = false

  constructor(
    readonly files: ConfigFiles,
    readonly problems: ProblemLog,
  ) {}

  /** Reads one file whose lines start in `base`: the Match block its Include line was in. */
  readFile(file: string, text: string, base: readonly MatchCondition[], chain: string[]): void {
    let scope = base
    for (const line of this.#linesOf(file, text)) {
      const split = splitSshdLine(line.text)
      if (split === undefined) continue
      if ('error' in split) {
        this.problems.add(file, line.number, split.error)
        // sshd refuses a Match line it cannot read; what follows is in no block a connection
        // can match, rather than back in the block before.
        if (split.keyword?.toLowerCase() === 'match') scope = [...base, { kind: 'invalid' }]
        continue
      }
      const keyword = split.keyword.toLowerCase()
      if (keyword === 'match') {
        // A Match block runs to the next Match line or the end of its file: an included file's
        // blocks end with it, and the including file carries on in the block it was in.
        const { condition, error } = parseMatchCondition(split.args)
        if (error !== undefined) this.problems.add(file, line.number, error)
        scope = [...base, condition]
      } else if (keyword === 'include') {
        this.#include(file, line.number, split.args, scope, chain)
      } else {
        const option = sshdOption(keyword)
        if (GLOBAL_ONLY_OPTIONS.has(option) && !appliesOutsideMatch(scope)) {
          this.problems.add(
            file,
            line.number,
            `${option} is not allowed in a Match block: sshd refuses to start`,
          )
        }
        const value = split.args.join(' ')
        this.#entries.push({
          setting: { key: keyword, value, file, line: line.number },
          option,
          scope,
        })
      }
    }
  }

  #include(
    file: string,
    line: number,
    patterns: readonly string[],
    scope: readonly MatchCondition[],
    chain: string[],
  ): void {
    for (const pattern of patterns) {
      const glob =
        pattern.startsWith('/') || pattern.startsWith('~')
          ? pattern
          : `${SSHD_CONFIG_DIRECTORY}/${pattern}`
      const paths = listIncludedFiles(this.files, glob)
      if (paths === undefined) {
        this.problems.add(file, line, "the snapshot's files could not be listed for an Include")
        continue
      }
      // A pattern that matches nothing is no problem: sshd accepts it silently, and Debian's
      // sshd_config.d is usually empty.
      for (const path of paths) {
        if (chain.includes(path)) {
          this.problems.add(file, line, `include loop: ${path} is already being read`)
        } else if (chain.length > MAX_INCLUDE_DEPTH) {
          this.problems.add(file, line, `includes nested more than ${MAX_INCLUDE_DEPTH} deep`)
        } else if (!this.#withinLimit(file, line)) {
          return
        } else {
          const content = readIncludedFile(this.files, path)
          if (content === undefined) {
            this.problems.add(
              file,
              line,
              `${path} is included but its content is not in the snapshot`,
            )
          } else {
            this.readFile(path, content, scope, [...chain, path])
          }
        }
      }
    }
  }

  /** Counts one more included file; past the limit, false and (the first time) a problem. */
  #withinLimit(file: string, line: number): boolean {
    if (this.#includedFiles < MAX_INCLUDED_FILES) {
      this.#includedFiles += 1
      return true
    }
    if (!this.#limitReported) {
      this.#limitReported = true
      this.problems.add(file, line, `more than ${MAX_INCLUDED_FILES} files included`)
    }
    return false
  }

  /** A file included twice is split once, so its problems are reported once. */
  #linesOf(file: string, text: string): ConfigLine[] {
    let lines = this.#lines.get(file)
    if (lines === undefined) {
      lines = configLines(text, file, this.problems, (trimmed) => trimmed.startsWith('#'))
      this.#lines.set(file, lines)
    }
    return lines
  }

  result(): ParsedSshdConfig {
    const byOption = new Map<string, SshdEntry[]>()
    for (const entry of this.#entries) {
      const entries = byOption.get(entry.option)
      if (entries === undefined) byOption.set(entry.option, [entry])
      else entries.push(entry)
    }
    const entriesOf = (key: string): SshdEntry[] => byOption.get(sshdOption(key)) ?? []
    const effectiveFor = (key: string, connection: SshdConnection): ConfigSetting | undefined => {
      const entries = entriesOf(key)
      const option = entries[0]?.option
      if (option === undefined) return undefined
      // sshd reads the file twice. At start-up, lines outside Match blocks (and in Match All
      // blocks) set the options. For each connection it reads again, only inside the Match blocks
      // the connection matches, and what that sets overrides the first reading.
      if (!GLOBAL_ONLY_OPTIONS.has(option)) {
        const matched = entries.filter(
          ({ scope }) =>
            scope.length > 0 &&
            scope.every((condition) => matchesConnection(condition, connection)),
        )
        if (matched.length > 0) return obtained(option, matched)
      }
      return obtained(
        option,
        entries.filter(({ scope }) => appliesOutsideMatch(scope)),
      )
    }
    return {
      effective: (key) => effectiveFor(key, {}),
      effectiveFor,
      all: (key) => entriesOf(key).map(({ setting }) => setting),
      problems: this.problems.list(),
    }
  }
}

/** Lines outside Match blocks, and in Match All blocks, are read at start-up. */
function appliesOutsideMatch(scope: readonly MatchCondition[]): boolean {
  return scope.every((condition) => condition.kind === 'all')
}

/** The value sshd ends up with from the lines that apply, in file order. */
function obtained(option: string, entries: readonly SshdEntry[]): ConfigSetting | undefined {
  const first = entries[0]
  if (first === undefined) return undefined
  if (ACCUMULATED_OPTIONS.has(option)) {
    // One setting that lists every value, placed at the first line that contributed.
    return { ...first.setting, value: entries.map(({ setting }) => setting.value).join(' ') }
  }
  return LAST_WINS_OPTIONS.has(option) ? entries.at(-1)?.setting : first.setting
}
