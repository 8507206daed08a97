// Account names by uid as the system inside the Target knows them (its own /etc/passwd), to
// name the owner of a port. Malformed lines are the accounts collector's to report.
import type { Target } from '../../../target/index.js'
import { configLines, readConfigText } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'

/**
 * Maps uids to names; the first line naming a uid wins, as for getpwuid().
 *
 * @example readUserNames(target, problems).get(0) // 'root'
 */
export function readUserNames(target: Target, problems: CollectionProblem[]): Map<number, string> {
  const names = new Map<number, string>()
  const text = readConfigText(target, '/etc/passwd', problems)
  if (text === undefined) return names
  for (const { text: line } of configLines(text, '/etc/passwd', problems)) {
    const [name, , uidField] = line.split(':')
    if (!name || uidField === undefined || !/^\d+$/.test(uidField)) continue
    const uid = Number(uidField)
    if (!names.has(uid)) names.set(uid, name)
  }
  return names
}
