// The records of the colon-separated account files (passwd, shadow, group, gshadow): blank lines
// skipped, NIS `+`/`-` entries reported as not resolved, every other line split into its fields.
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'

export interface ColonRecord {
  /** 1-based line number, and the line itself. */
  readonly number: number
  readonly text: string
  /** `file:line`, for problems. */
  readonly where: string
  readonly fields: string[]
  /** The first field: the account or group name. */
  readonly name: string
}

/**
 * @example for (const { name, fields } of colonRecords(lines, '/etc/group', problems)) …
 */
export function* colonRecords(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): Generator<ColonRecord> {
  for (const { number, text } of lines) {
    if (text.trim() === '') continue
    const where = `${path}:${number}`
    const fields = text.split(':')
    const name = fields[0] ?? ''
    if (name.startsWith('+') || name.startsWith('-')) {
      problems.push({ path: where, reason: 'unavailable', detail: 'NIS entry, not resolved' })
      continue
    }
    yield { number, text, where, fields, name }
  }
}
