// One file naming the same ticket twice is ambiguous: which row holds the approval? Neither is
// imported, and both are reported, rather than letting row order decide what is authorized.
import type { ImportedTicket, TicketProblem } from './imported-ticket.js'

/**
 * Keeps the tickets whose externalRef appears once; reports every occurrence of the others.
 *
 * @example rejectDuplicateRefs([{ ticket, where: 'a.csv:2' }, { ticket, where: 'a.csv:5' }], 'ref')
 * // → { tickets: [], problems: [two problems, each naming the other row] }
 */
export function rejectDuplicateRefs(
  candidates: readonly { readonly ticket: ImportedTicket; readonly where: string }[],
  field: string,
): { tickets: ImportedTicket[]; problems: TicketProblem[] } {
  const places = new Map<string, string[]>()
  for (const { ticket, where } of candidates) {
    places.set(ticket.externalRef, [...(places.get(ticket.externalRef) ?? []), where])
  }
  const tickets: ImportedTicket[] = []
  const problems: TicketProblem[] = []
  for (const { ticket, where } of candidates) {
    const seen = places.get(ticket.externalRef) ?? []
    if (seen.length === 1) {
      tickets.push(ticket)
      continue
    }
    const others = seen.filter((place) => place !== where).join(', ')
    problems.push({
      where,
      field,
      message: `duplicate ticket ${ticket.externalRef} (also at ${others}); none of its rows is imported`,
    })
  }
  return { tickets, problems }
}
