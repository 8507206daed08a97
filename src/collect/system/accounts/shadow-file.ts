// /etc/shadow: `name:password:lastchg:min:max:warn:inactive:expire:reserved`. Only the state of
// the password field is kept, never the field: not the hash, not its salt, not its algorithm.
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { passwordState, type PasswordState } from './password-state.js'
import { isSafeAccountName } from './safe-text.js'
import { colonRecords } from './colon-records.js'

export interface ShadowEntry {
  readonly name: string
  readonly password: Exclude<PasswordState, 'none'>
  /** Days since 1970-01-01 of the last password change; 0 means "change at next login". */
  readonly lastChange?: number
  readonly minAge?: number
  readonly maxAge?: number
  readonly warnDays?: number
  readonly inactiveDays?: number
  /** Days since 1970-01-01 when the account expires. */
  readonly expires?: number
}

const NUMBER_FIELDS = [
  'lastChange',
  'minAge',
  'maxAge',
  'warnDays',
  'inactiveDays',
  'expires',
] as const

/** Day counts beyond the year 9999 are not dates. */
const MAX_DAYS = 2_932_896

/**
 * Parses the lines of a shadow file into entries by name. A malformed line is a problem naming
 * `path:line`; its content (a hash, perhaps) is never quoted. A number field that is not a
 * number is left out of the entry and reported.
 *
 * @example parseShadow(configLines(text, '/etc/shadow', problems), '/etc/shadow', problems)
 */
export function parseShadow(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): Map<string, ShadowEntry> {
  const entries = new Map<string, ShadowEntry>()
  for (const { where, fields, name } of colonRecords(lines, path, problems)) {
    if (fields.length < 2 || fields.length > 9 || !isSafeAccountName(name)) {
      problems.push({ path: where, reason: 'malformed', detail: 'not a shadow entry' })
      continue
    }
    if (entries.has(name)) {
      problems.push({ path: where, reason: 'malformed', detail: 'duplicate name; first used' })
      continue
    }
    const entry: { -readonly [K in keyof ShadowEntry]: ShadowEntry[K] } = {
      name,
      password: passwordState(fields[1] ?? ''),
    }
    NUMBER_FIELDS.forEach((field, index) => {
      const value = fields[index + 2] ?? ''
      if (value === '') return
      if (!/^\d{1,7}$/.test(value) || Number(value) > MAX_DAYS) {
        problems.push({ path: where, reason: 'malformed', detail: `${field} is not a day count` })
        return
      }
      entry[field] = Number(value)
    })
    entries.set(name, entry)
  }
  return entries
}

/**
 * A day count from /etc/shadow as an ISO date.
 *
 * @example isoDateFromDays(19000) // '2022-01-08'
 */
export function isoDateFromDays(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10)
}
