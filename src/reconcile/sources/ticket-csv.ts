// Change tickets from a CSV file (a spreadsheet export, a ticket system's report): one ticket per
// row, every row checked on its own, so a bad row is reported by file:line and the rest import.
import { readCsvRecords } from './csv-records.js'
import type { ImportedTicket, TicketImport, TicketProblem } from './imported-ticket.js'
import { rejectDuplicateRefs } from './duplicate-refs.js'
import { validateTicket, type TicketField } from './ticket-fields.js'

/** The columns a ticket CSV may have, in the header row, in any order; documented in docs/tickets.md. */
export const TICKET_CSV_COLUMNS: Readonly<Record<string, TicketField>> = {
  ref: 'externalRef',
  title: 'title',
  state: 'state',
  approver: 'approver',
  approved_at: 'approvedAt',
  window_start: 'windowStart',
  window_end: 'windowEnd',
  nodes: 'nodes',
  elements: 'elements',
  updated_at: 'updatedAt',
}

const REQUIRED_COLUMNS = ['ref', 'title', 'state']

/**
 * Reads change tickets from CSV text with a header row. Gives every good row as a ticket and a
 * problem (`file:line`, the column, what was expected) for every bad one.
 *
 * @example parseTicketCsv('ref,title,state,nodes\nCHG1,nginx TLS,approved,web-*\n', 'changes.csv')
 */
export function parseTicketCsv(text: string, source: string): TicketImport {
  const { records, problems: recordProblems } = readCsvRecords(text)
  const [header, ...rows] = records
  if (header === undefined) {
    return {
      tickets: [],
      problems: [{ where: `${source}:1`, message: 'the file is empty; expected a header row' }],
    }
  }
  const columns = header.fields.map((name) => name.trim().toLowerCase())
  const problems: TicketProblem[] = []
  const headerWhere = `${source}:${header.line}`
  columns.forEach((name, index) => {
    if (!(name in TICKET_CSV_COLUMNS)) {
      problems.push({
        where: headerWhere,
        field: name,
        message: `unknown column, ignored; expected one of ${Object.keys(TICKET_CSV_COLUMNS).join(', ')}`,
      })
    } else if (columns.indexOf(name) !== index) {
      problems.push({ where: headerWhere, field: name, message: 'the column appears twice' })
    }
  })
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name))
  for (const name of missing) {
    problems.push({
      where: headerWhere,
      field: name,
      message: 'required column missing from the header row',
    })
  }
  if (missing.length > 0 || problems.some((problem) => problem.message.includes('twice'))) {
    // Without the column every row would be refused for the same reason: say it once.
    return { tickets: [], problems }
  }

  for (const problem of recordProblems) {
    problems.push({
      where: `${source}:${problem.line}`,
      field: columns[problem.fieldIndex] ?? `column ${problem.fieldIndex + 1}`,
      message: problem.message,
    })
  }
  const candidates: { ticket: ImportedTicket; where: string }[] = []
  const columnOf = (field: TicketField): string =>
    Object.entries(TICKET_CSV_COLUMNS).find(([, known]) => known === field)?.[0] ?? field
  for (const row of rows) {
    const where = `${source}:${row.line}`
    if (row.fields.length !== columns.length) {
      problems.push(fieldCountProblem(where, columns, row.fields.length))
      continue
    }
    const raw: Record<string, string> = {}
    columns.forEach((name, index) => {
      const field = TICKET_CSV_COLUMNS[name]
      if (field !== undefined) raw[field] = row.fields[index] ?? ''
    })
    const checked = validateTicket(raw, 'csv', where, columnOf)
    problems.push(...checked.problems)
    if (checked.ticket !== undefined) candidates.push({ ticket: checked.ticket, where })
  }
  const unique = rejectDuplicateRefs(candidates, 'ref')
  return {
    tickets: unique.tickets,
    problems: sortByLine([...problems, ...unique.problems]),
  }
}

function fieldCountProblem(
  where: string,
  columns: readonly string[],
  found: number,
): TicketProblem {
  if (found < columns.length) {
    const absent = columns.slice(found)
    return {
      where,
      field: absent[0],
      message: `expected ${columns.length} fields, found ${found}: missing ${absent.join(', ')}`,
    }
  }
  return {
    where,
    field: `column ${columns.length + 1}`,
    message: `expected ${columns.length} fields, found ${found} (an unquoted comma?)`,
  }
}

function sortByLine(problems: readonly TicketProblem[]): TicketProblem[] {
  const lineOf = (problem: TicketProblem): number => Number(/:(\d+)$/.exec(problem.where)?.[1] ?? 0)
  return [...problems].sort((a, b) => lineOf(a) - lineOf(b))
}
