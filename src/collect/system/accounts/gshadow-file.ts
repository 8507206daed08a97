// /etc/gshadow: `name:password:admins:members`. Only the group administrators are kept: they can
// add members to the group with gpasswd, so an administrator of `sudo` can make anyone root.
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { splitMembers } from './group-file.js'
import { isSafeAccountName } from './safe-text.js'
import { colonRecords } from './colon-records.js'

/**
 * Parses the lines of a gshadow file into the administrators of each group. Malformed lines
 * are problems naming `path:line`, never quoting it (the password field may be a hash).
 *
 * @example parseGshadowAdmins(lines, '/etc/gshadow', problems).get('sudo') // ['alice']
 */
export function parseGshadowAdmins(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): Map<string, readonly string[]> {
  const admins = new Map<string, readonly string[]>()
  for (const { where, fields, name } of colonRecords(lines, path, problems)) {
    const names = splitMembers(fields[2] ?? '')
    if (fields.length !== 4 || !isSafeAccountName(name) || names === undefined) {
      problems.push({ path: where, reason: 'malformed', detail: 'not a gshadow entry' })
      continue
    }
    if (!admins.has(name)) admins.set(name, names)
  }
  return admins
}
