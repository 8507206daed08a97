// /etc/group: `name:password:gid:member,member…`. The password field is never kept.
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { parseId } from './passwd-file.js'
import { hasUnsafeCharacters, isSafeAccountName } from './safe-text.js'
import { colonRecords } from './colon-records.js'

export interface GroupEntry {
  readonly name: string
  readonly gid: number
  /** Members as listed (supplementary membership), in file order, without duplicates. */
  readonly members: readonly string[]
  readonly line: number
}

/**
 * Parses the lines of a group file. Malformed lines become problems naming `path:line`; for a
 * duplicated name the first entry wins, as getgrnam(3) does.
 *
 * @example parseGroup(configLines(text, '/etc/group', problems), '/etc/group', problems)
 */
export function parseGroup(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): GroupEntry[] {
  const entries: GroupEntry[] = []
  const seen = new Map<string, number>()
  for (const { number, text, where, fields, name } of colonRecords(lines, path, problems)) {
    if (fields.length !== 4) {
      problems.push({ path: where, reason: 'malformed', detail: `${fields.length} fields, not 4` })
      continue
    }
    const gid = parseId(fields[2] ?? '')
    const members = splitMembers(fields[3] ?? '')
    if (!isSafeAccountName(name) || hasUnsafeCharacters(text) || members === undefined) {
      problems.push({
        path: where,
        reason: 'malformed',
        detail: 'not a valid group or member name',
      })
      continue
    }
    if (gid === undefined) {
      problems.push({ path: where, reason: 'malformed', detail: 'gid is not a number' })
      continue
    }
    const first = seen.get(name)
    if (first !== undefined) {
      problems.push({
        path: where,
        reason: 'malformed',
        detail: `duplicate group name; the entry on line ${first} is used`,
      })
      continue
    }
    seen.set(name, number)
    entries.push({ name, gid, members, line: number })
  }
  return entries
}

/**
 * A comma-separated member list; undefined when a name is not valid.
 *
 * @example splitMembers('alice, bob,,alice') // ['alice', 'bob']
 */
export function splitMembers(field: string): string[] | undefined {
  const members: string[] = []
  for (const part of field.split(',')) {
    const name = part.trim()
    if (name === '') continue
    if (!isSafeAccountName(name)) return undefined
    if (!members.includes(name)) members.push(name)
  }
  return members
}
