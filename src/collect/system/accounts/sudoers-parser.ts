// The sudoers grammar (sudoers(5)) as far as configuration control needs it: include
// directives, aliases, Defaults lines and user specifications, each user specification split
// into one rule per `hosts = (runas) commands` part. A line that does not parse is a problem
// naming `file:line`; the line is never quoted (the file may be /etc/shadow behind a link).
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { hasUnsafeCharacters } from './safe-text.js'
import { joinSudoList } from './sudo-list.js'
import { sudoersLogicalLines } from './sudoers-lines.js'

export const ALIAS_TYPES = ['User_Alias', 'Runas_Alias', 'Host_Alias', 'Cmnd_Alias'] as const
export type AliasType = (typeof ALIAS_TYPES)[number]

/** Where no run-as list is written, sudo runs the command as `runas_default`: root. */
export const DEFAULT_RUNAS = 'root'

export type SudoersEntry =
  | {
      readonly kind: 'include'
      readonly path: string
      readonly directory: boolean
      readonly line: number
    }
  | { readonly kind: 'defaults'; readonly text: string; readonly line: number }
  | {
      readonly kind: 'alias'
      readonly aliasType: AliasType
      readonly name: string
      readonly members: readonly string[]
      readonly line: number
    }
  | {
      readonly kind: 'rule'
      readonly who: readonly string[]
      readonly hosts: readonly string[]
      /** `users` or `users:groups` as written, blanks normalised; `root` where none is written. */
      readonly runas: string
      readonly commands: readonly string[]
      /** Tags and options in effect (`NOPASSWD`, `CWD=/srv`), sorted. */
      readonly tags: readonly string[]
      readonly line: number
    }

export type SudoersRule = Extract<SudoersEntry, { kind: 'rule' }>

/**
 * Parses the lines of one sudoers file. Includes are returned as entries, not followed.
 *
 * @example parseSudoers([{ number: 1, text: '%sudo ALL=(ALL:ALL) ALL' }], '/etc/sudoers', problems)
 * // [{ kind: 'rule', who: ['%sudo'], hosts: ['ALL'], runas: 'ALL:ALL', commands: ['ALL'], … }]
 */
export function parseSudoers(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): SudoersEntry[] {
  const entries: SudoersEntry[] = []
  for (const { number, text } of sudoersLogicalLines(lines)) {
    const where = `${path}:${number}`
    if (hasUnsafeCharacters(text)) {
      problems.push({ path: where, reason: 'malformed', detail: 'control characters' })
      continue
    }
    try {
      entries.push(...parseLine(text, number))
    } catch (error) {
      if (!(error instanceof SudoersSyntaxError)) throw error
      problems.push({ path: where, reason: 'malformed', detail: error.message })
    }
  }
  return entries
}

/** A syntax error; its message describes what was expected and never quotes the line. */
class SudoersSyntaxError extends Error {}

const INCLUDE = /^[#@](include|includedir) (.*)$/
const ALIAS = /^(User_Alias|Runas_Alias|Host_Alias|Cmnd_Alias|Cmd_Alias) /
const DEFAULTS = /^Defaults([@:!>]|\s|$)/
const NAME_STOPS = ',=:()'
const OPTION =
  /(CWD|CHROOT|ROLE|TYPE|PRIVS|LIMITPRIVS|NOTBEFORE|NOTAFTER|TIMEOUT|APPARMOR_PROFILE) ?=/y
const TAG = /(NO)?(PASSWD|EXEC|SETENV|LOG_INPUT|LOG_OUTPUT|MAIL|FOLLOW|INTERCEPT) ?:/y
const ALIAS_NAME = /[A-Z][A-Z0-9_]*/y

function parseLine(text: string, line: number): SudoersEntry[] {
  const include = INCLUDE.exec(text)
  if (include !== null) {
    return [
      {
        kind: 'include',
        path: includePath(include[2] ?? ''),
        directory: include[1] === 'includedir',
        line,
      },
    ]
  }
  const alias = ALIAS.exec(text)
  if (alias !== null) {
    const aliasType = alias[1] === 'Cmd_Alias' ? 'Cmnd_Alias' : (alias[1] as AliasType)
    return new LineScanner(text, alias[0].length).aliases(aliasType, line)
  }
  if (DEFAULTS.test(text)) {
    if (!/^Defaults\S*\s+\S/.test(text)) throw new SudoersSyntaxError('Defaults without a setting')
    return [{ kind: 'defaults', text: normaliseDefaults(text), line }]
  }
  return new LineScanner(text, 0).userSpecification(line)
}

/** The path of an include directive: quoted (`"/etc/sudo ers"`) or with `\` escapes. */
function includePath(text: string): string {
  const scanner = new LineScanner(text, 0)
  const word = scanner.word('')
  scanner.skipBlanks()
  if (word === '' || !(scanner.done || scanner.peek() === '#')) {
    throw new SudoersSyntaxError('an include directive takes one path')
  }
  const inner = word.startsWith('"') ? word.slice(1, -1) : word
  return inner.replace(/\\(.)/g, '$1')
}

/**
 * Defaults lines compared as sudo reads them: one blank between words, none around `=`, `+=` and
 * `-=`, `, ` between list items, quoted values as written.
 */
function normaliseDefaults(text: string): string {
  return text
    .split(/("(?:[^"\\]|\\.)*")/)
    .map((part, index) =>
      index % 2 === 1 ? part : part.replace(/\s*([+-]?=)\s*/g, '$1').replace(/\s*,\s*/g, ', '),
    )
    .join('')
}

/** Reads one logical line from left to right. */
class LineScanner {
  private pos: number

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.pos = start
  }

  get done(): boolean {
    return this.pos >= this.text.length
  }

  peek(): string {
    return this.text[this.pos] ?? ''
  }

  skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos += 1
  }

  private expect(char: string, what: string): void {
    this.skipBlanks()
    if (this.peek() !== char) throw new SudoersSyntaxError(`expected ${what}`)
    this.pos += 1
  }

  private sticky(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.pos
    const match = pattern.exec(this.text)
    if (match !== null) this.pos += match[0].length
    return match
  }

  /** A word up to a blank or a stop character, escapes and quotes kept as written. */
  word(stops: string): string {
    const start = this.pos
    if (this.peek() === '"') {
      this.pos += 1
      while (!this.done && this.peek() !== '"') this.pos += this.peek() === '\\' ? 2 : 1
      if (this.done) throw new SudoersSyntaxError('unterminated quote')
      this.pos += 1
      return this.text.slice(start, this.pos)
    }
    while (!this.done) {
      const char = this.peek()
      if (char === ' ' || char === '\t' || stops.includes(char)) break
      this.pos += char === '\\' ? 2 : 1
    }
    return this.text.slice(start, Math.min(this.pos, this.text.length))
  }

  /** A user, group, host or alias name, with its `!` negations: `!bob`, `%wheel`, `%:admins`. */
  private nameItem(): string {
    this.skipBlanks()
    let negation = ''
    while (this.peek() === '!') {
      negation += '!'
      this.pos += 1
      this.skipBlanks()
    }
    // `%:group` names a non-Unix group: that colon is part of the name.
    const prefix = this.text.startsWith('%:', this.pos) ? '%:' : ''
    this.pos += prefix.length
    const name = prefix + this.word(NAME_STOPS)
    if (name === '' || name === '%:') throw new SudoersSyntaxError('expected a name')
    return negation + name
  }

  private nameList(): string[] {
    const items = [this.nameItem()]
    for (;;) {
      this.skipBlanks()
      if (this.peek() !== ',') return items
      this.pos += 1
      items.push(this.nameItem())
    }
  }

  /** `(users)`, `(users : groups)`, `(: groups)` or `()`, rendered without the parentheses. */
  private runas(): string {
    this.pos += 1
    this.skipBlanks()
    const users = this.peek() === ':' || this.peek() === ')' ? [] : this.nameList()
    this.skipBlanks()
    let groups: string[] | undefined
    if (this.peek() === ':') {
      this.pos += 1
      this.skipBlanks()
      groups = this.peek() === ')' ? [] : this.nameList()
    }
    this.expect(')', "')' after the run-as list")
    return joinSudoList(users) + (groups === undefined ? '' : `:${joinSudoList(groups)}`)
  }

  /**
   * One command up to an unescaped `,` or `:`. A digest (`sha256:…`) before the path is part of
   * the command, not a separator.
   */
  private command(): string {
    this.skipBlanks()
    let negation = ''
    while (this.peek() === '!') {
      negation += '!'
      this.pos += 1
      this.skipBlanks()
    }
    const start = this.pos
    while (!this.done) {
      const char = this.peek()
      const sofar = this.text.slice(start, this.pos)
      if (char === ':' && !/(^|,)\s*sha(224|256|384|512)$/.test(sofar)) break
      if (
        char === ',' &&
        !/^(sha(224|256|384|512):[^\s,:]+\s*,\s*)*sha(224|256|384|512):[^\s,:]+$/.test(sofar)
      ) {
        break
      }
      this.pos += char === '\\' ? 2 : 1
    }
    const command = this.text.slice(start, Math.min(this.pos, this.text.length)).trim()
    if (command === '') throw new SudoersSyntaxError('expected a command')
    return negation + command
  }

  /** `NAME = members : NAME = members …` after the alias type. */
  aliases(aliasType: AliasType, line: number): SudoersEntry[] {
    const entries: SudoersEntry[] = []
    for (;;) {
      this.skipBlanks()
      const name = this.sticky(ALIAS_NAME)?.[0]
      if (name === undefined || name === 'ALL' || /^[A-Z0-9_]/.test(this.peek())) {
        throw new SudoersSyntaxError('expected an alias name in capitals')
      }
      this.expect('=', "'=' after the alias name")
      const members: string[] = []
      if (aliasType === 'Cmnd_Alias') {
        members.push(this.command())
        for (this.skipBlanks(); this.peek() === ','; this.skipBlanks()) {
          this.pos += 1
          members.push(this.command())
        }
      } else {
        members.push(...this.nameList())
      }
      entries.push({ kind: 'alias', aliasType, name, members, line })
      this.skipBlanks()
      if (this.done) return entries
      if (this.peek() !== ':') throw new SudoersSyntaxError("expected ':' or the end of the line")
      this.pos += 1
    }
  }

  /** `who hosts = commands : hosts = commands …` */
  userSpecification(line: number): SudoersEntry[] {
    const entries: SudoersEntry[] = []
    const who = this.nameList()
    for (;;) {
      const hosts = this.nameList()
      this.expect('=', "'=' after the host list")
      for (const group of this.commandSpecifications()) {
        entries.push({ kind: 'rule', who, hosts, ...group, line })
      }
      this.skipBlanks()
      if (this.done) return entries
      if (this.peek() !== ':') throw new SudoersSyntaxError("expected ':' or the end of the line")
      this.pos += 1
    }
  }

  /**
   * `(runas) TAG: command, command, (runas) TAG: command …`: run-as lists and tags carry over
   * to the commands that follow, so commands are grouped by the run-as list and tags in effect.
   */
  private commandSpecifications(): { runas: string; tags: string[]; commands: string[] }[] {
    const groups: { runas: string; tags: string[]; commands: string[] }[] = []
    let runas = DEFAULT_RUNAS
    const tags = new Map<string, string>()
    const options = new Map<string, string>()
    for (;;) {
      this.skipBlanks()
      if (this.peek() === '(') runas = this.runas()
      for (;;) {
        this.skipBlanks()
        const option = this.sticky(OPTION)
        if (option !== null) {
          this.skipBlanks()
          const value = this.word(',:')
          if (value === '') throw new SudoersSyntaxError('expected a value for an option')
          options.set(option[1] ?? '', `${option[1] ?? ''}=${value}`)
          continue
        }
        const tag = this.sticky(TAG)
        if (tag === null) break
        tags.set(tag[2] ?? '', `${tag[1] ?? ''}${tag[2] ?? ''}`)
      }
      const command = this.command()
      const inEffect = [...tags.values(), ...options.values()].sort()
      const last = groups.at(-1)
      if (last?.runas === runas && last.tags.join() === inEffect.join()) last.commands.push(command)
      else groups.push({ runas, tags: inEffect, commands: [command] })
      this.skipBlanks()
      if (this.peek() !== ',') return groups
      this.pos += 1
    }
  }
}
