// Change tickets from a JSON file: an array of objects with ImportedTicket's keys, each checked on
// its own, so a bad object is reported by its index and field and the others import.
import type { ImportedTicket, TicketImport, TicketProblem } from './imported-ticket.js'
import { rejectDuplicateRefs } from './duplicate-refs.js'
import { validateTicket, type TicketField } from './ticket-fields.js'

const KNOWN_KEYS = new Set<string>([
  'externalRef',
  'title',
  'state',
  'approver',
  'approvedAt',
  'windowStart',
  'windowEnd',
  'nodes',
  'elements',
  'updatedAt',
] satisfies TicketField[])

/**
 * Reads change tickets from JSON text: `[{ "externalRef": "CHG1", "title": …, "state": "approved",
 * "windowStart": "2026-11-27T10:00:00Z", "nodes": ["web-*"], "elements": ["file:/etc/nginx/**"] }]`.
 *
 * @example parseTicketJson('[{"externalRef":"CHG1","title":"nginx","state":"approved"}]', 'tickets.json')
 */
export function parseTicketJson(text: string, source: string): TicketImport {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return { tickets: [], problems: [{ where: source, message: `not JSON: ${reason}` }] }
  }
  if (!Array.isArray(parsed)) {
    return { tickets: [], problems: [{ where: source, message: 'expected an array of tickets' }] }
  }
  const problems: TicketProblem[] = []
  const candidates: { ticket: ImportedTicket; where: string }[] = []
  parsed.forEach((item: unknown, index) => {
    const where = `${source}[${index}]`
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ where, message: 'expected an object' })
      return
    }
    for (const key of Object.keys(item)) {
      if (!KNOWN_KEYS.has(key)) {
        problems.push({ where, field: key, message: 'unknown key, ignored' })
      }
    }
    const checked = validateTicket(item, 'json', where, (field) => field)
    problems.push(...checked.problems)
    if (checked.ticket !== undefined) candidates.push({ ticket: checked.ticket, where })
  })
  const unique = rejectDuplicateRefs(candidates, 'externalRef')
  const indexOf = (problem: TicketProblem): number =>
    Number(/\[(\d+)\]$/.exec(problem.where)?.[1] ?? 0)
  return {
    tickets: unique.tickets,
    problems: [...problems, ...unique.problems].sort((a, b) => indexOf(a) - indexOf(b)),
  }
}
