// /etc/passwd: one account per line, `name:password:uid:gid:gecos:home:shell`.
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { colonRecords } from './colon-records.js'
import { passwordState, type PasswordState } from './password-state.js'
import { hasUnsafeCharacters, isSafeAccountName } from './safe-text.js'

export interface PasswdEntry {
  readonly name: string
  /**
   * `shadow` when the field is `x` (the password is in /etc/shadow); otherwise the state of the
   * field itself, which old systems use for the hash. The field is never kept.
   */
  readonly password: PasswordState | 'shadow'
  readonly uid: number
  readonly gid: number
  readonly gecos: string
  readonly home: string
  readonly shell: string
  readonly line: number
}

/**
 * Parses the lines of a passwd file. Malformed lines become problems naming `path:line` and
 * never quoting the line; for a duplicated name the first entry wins, as getpwnam(3) does.
 *
 * @example parsePasswd(configLines(text, '/etc/passwd', problems), '/etc/passwd', problems)
 */
export function parsePasswd(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): PasswdEntry[] {
  const entries: PasswdEntry[] = []
  const seen = new Map<string, number>()
  for (const { number, text, where, fields } of colonRecords(lines, path, problems)) {
    if (fields.length !== 7) {
      problems.push({ path: where, reason: 'malformed', detail: `${fields.length} fields, not 7` })
      continue
    }
    const [name, password, uidField, gidField, gecos, home, shell] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ]
    const uid = parseId(uidField)
    const gid = parseId(gidField)
    if (!isSafeAccountName(name) || hasUnsafeCharacters(text)) {
      problems.push({ path: where, reason: 'malformed', detail: 'not a valid account name' })
      continue
    }
    if (uid === undefined || gid === undefined) {
      problems.push({ path: where, reason: 'malformed', detail: 'uid or gid is not a number' })
      continue
    }
    const first = seen.get(name)
    if (first !== undefined) {
      problems.push({
        path: where,
        reason: 'malformed',
        detail: `duplicate account name; the entry on line ${first} is used`,
      })
      continue
    }
    seen.set(name, number)
    entries.push({
      name,
      password: password === 'x' ? 'shadow' : passwordState(password),
      uid,
      gid,
      gecos,
      home,
      shell,
      line: number,
    })
  }
  return entries
}

/**
 * A uid or gid: a decimal number below 2^32 (4294967295 itself means "no id" to the kernel).
 *
 * @example parseId('1000') // 1000
 * @example parseId('-1') // undefined
 */
export function parseId(field: string): number | undefined {
  if (!/^\d{1,10}$/.test(field)) return undefined
  const id = Number(field)
  return id < 4294967295 ? id : undefined
}
