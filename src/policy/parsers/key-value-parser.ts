// `key = value`, `key=value` and `key value` files: sysctl.conf, login.defs, pwquality.conf, and
// libvirt's qemu.conf and libvirtd.conf with their quoted strings and [ … ] lists.
import type { ConfigParser, ConfigSetting } from './config-parser.js'
import { configLines, MAX_LINE_CHARS, type ConfigLine } from './config-lines.js'
import { firstWins, lastWins, parsedConfig } from './parsed-config.js'
import { ProblemLog } from './problem-log.js'

/** A list value may run over this many lines (and as many characters as one line) at most. */
export const MAX_LIST_LINES = 1000

export interface KeyValueOptions {
  readonly name: string
  /** Which occurrence of a key is effective: the program's own rule. */
  readonly precedence: 'first' | 'last'
  /**
   * Whether `#` after an unquoted value starts a comment. In sysctl.conf and login.defs it does
   * not: procps and shadow read `1 # on` as the value, and so does this parser.
   */
  readonly trailingComments: boolean
}

/**
 * A key-value parser. The separator is found per line: `=` (with or without blanks around it) or
 * blanks; a key alone is a flag, `true`. Lines starting with `#` or `;` are comments. Keys are
 * case-sensitive. A value in
 * double or single quotes loses its quotes; a `[ … ]` list is kept as written, blanks collapsed
 * to one space, and may run over several lines; any other value is the rest of the line, blanks
 * collapsed.
 *
 * @example
 * createKeyValueParser({ name: 'keyvalue', precedence: 'last', trailingComments: false })
 *   .parse('/etc/login.defs', 'PASS_MAX_DAYS\t99999\nPASS_MAX_DAYS 365\n', files)
 *   .effective('PASS_MAX_DAYS')?.value // '365'
 */
export function createKeyValueParser(options: KeyValueOptions): ConfigParser {
  return {
    name: options.name,
    parse(file, text) {
      const problems = new ProblemLog(file)
      const lines = configLines(text, file, problems, isComment)
      const settings: ConfigSetting[] = []
      for (let index = 0; index < lines.length; index += 1) {
        const line = lines[index]
        if (line === undefined) break
        const assignment = splitAssignment(line.text)
        if ('error' in assignment) {
          problems.add(file, line.number, assignment.error)
          continue
        }
        const read = readValue(lines, index, assignment.rest, options.trailingComments)
        if ('error' in read) {
          problems.add(file, line.number, read.error)
          continue
        }
        if (read.warning !== undefined) problems.add(file, line.number, read.warning)
        settings.push({ key: assignment.key, value: read.value, file, line: line.number })
        index = read.lastIndex
      }
      const precedence = options.precedence === 'first' ? firstWins : lastWins
      return parsedConfig(settings, problems.list(), precedence)
    },
  }
}

/**
 * sysctl.conf, login.defs, pwquality.conf and the like: a later line overrides an earlier one, as
 * procps, systemd-sysctl, shadow's getdef (each definition replaces the last) and libpwquality do.
 *
 * @example keyValueParser.parse('/etc/sysctl.conf', 'net.ipv4.ip_forward=1\n', files).effective('net.ipv4.ip_forward')?.value // '1'
 */
export const keyValueParser = createKeyValueParser({
  name: 'keyvalue',
  precedence: 'last',
  trailingComments: false,
})

/**
 * libvirt's own configuration files (qemu.conf, libvirtd.conf, virtqemud.conf …): libvirt's
 * virConf keeps every entry and looks a key up from the top, so the FIRST occurrence counts, and
 * `#` after a value is a comment.
 *
 * @example libvirtConfParser.parse('/etc/libvirt/qemu.conf', 'vnc_listen = "0.0.0.0"\n', files).effective('vnc_listen')?.value // '0.0.0.0'
 */
export const libvirtConfParser = createKeyValueParser({
  name: 'libvirt',
  precedence: 'first',
  trailingComments: true,
})

function isComment(trimmed: string): boolean {
  return trimmed.startsWith('#') || trimmed.startsWith(';')
}

type ValueRead =
  | { readonly value: string; readonly lastIndex: number; readonly warning?: string }
  | { readonly error: string }

/** The value that starts with `rest` on `lines[index]`; a list may end on a later line. */
function readValue(
  lines: readonly ConfigLine[],
  index: number,
  rest: string,
  trailingComments: boolean,
): ValueRead {
  if (rest.startsWith('[')) {
    const list = readList(lines, index)
    if (list === undefined) return { error: 'a [ list is not closed' }
    return {
      value: list.value,
      lastIndex: list.lastIndex,
      ...(list.trailing === '' ? {} : { warning: 'text after a list' }),
    }
  }
  if (rest.startsWith('"') || rest.startsWith("'")) {
    const close = rest.indexOf(rest.charAt(0), 1)
    if (close === -1) return { error: 'a quote is not closed' }
    const trailing = rest.slice(close + 1).trim()
    const warning =
      trailing === '' || trailing.startsWith('#') ? {} : { warning: 'text after a quoted value' }
    return { value: rest.slice(1, close), lastIndex: index, ...warning }
  }
  const hash = trailingComments ? rest.indexOf('#') : -1
  const value = (hash === -1 ? rest : rest.slice(0, hash)).trim().replace(/\s+/g, ' ')
  return { value, lastIndex: index }
}

/**
 * The key (up to blanks or `=`) and what follows the separator. `key =` sets an empty value; a
 * key alone is a flag (`enforce_for_root` in pwquality.conf, `even_deny_root` in faillock.conf).
 */
function splitAssignment(text: string): { key: string; rest: string } | { error: string } {
  const match = /^\s*([^\s=]*)[ \t\f\v]*(=?)([\s\S]*)$/.exec(text)
  const [, key = '', equals = '', rest = ''] = match ?? []
  if (key === '') return { error: 'a line without a key' }
  if (equals === '' && rest.trim() === '') return { key, rest: 'true' }
  return { key, rest: rest.trim() }
}

/**
 * Reads a `[ … ]` value that starts on `lines[first]`, following it over later lines until its
 * closing bracket. Quoted strings may hold brackets and `#`; elsewhere `#` starts a comment. Each
 * character is looked at once, and a list stops at the next assignment or when it grows longer
 * than a line may be: a stray `[` in a hostile file costs little.
 */
const ASSIGNMENT = /^\s*[A-Za-z_][\w.-]*\s*=/

function readList(
  lines: readonly ConfigLine[],
  first: number,
): { value: string; trailing: string; lastIndex: number } | undefined {
  let depth = 0
  let quote = ''
  let text = ''
  for (let index = first; index < lines.length && index < first + MAX_LIST_LINES; index += 1) {
    const line = lines[index]?.text ?? ''
    // A list holds values, never `key =`: such a line means the list was never closed.
    if (index > first && ASSIGNMENT.test(line)) return undefined
    const from = index === first ? line.indexOf('[') : 0
    let end = line.length
    for (let i = from; i < line.length; i += 1) {
      const char = line.charAt(i)
      if (quote !== '') {
        if (char === quote) quote = ''
      } else if (char === '"' || char === "'") {
        quote = char
      } else if (char === '#') {
        end = i
        break
      } else if (char === '[') {
        depth += 1
      } else if (char === ']') {
        depth -= 1
        if (depth === 0) {
          const after = line.slice(i + 1)
          const hash = after.indexOf('#')
          return {
            value: collapseBlanks(`${text} ${line.slice(from, i + 1)}`),
            trailing: (hash === -1 ? after : after.slice(0, hash)).trim(),
            lastIndex: index,
          }
        }
      }
    }
    text += ` ${line.slice(from, end)}`
    if (text.length > MAX_LINE_CHARS) return undefined
  }
  return undefined
}

/** Runs of blanks outside quotes become one space; quoted text in a list is kept as written. */
function collapseBlanks(text: string): string {
  let result = ''
  let quote = ''
  let pendingBlank = false
  for (const char of text.trim()) {
    if (quote === '' && /\s/.test(char)) {
      pendingBlank = true
      continue
    }
    if (pendingBlank) result += ' '
    pendingBlank = false
    result += char
    if (quote !== '') {
      if (char === quote) quote = ''
    } else if (char === '"' || char === "'") {
      quote = char
    }
  }
  return result
}
