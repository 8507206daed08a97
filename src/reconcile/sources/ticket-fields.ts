// The checks every ticket source shares: one ticket's raw fields (as a CSV row, a JSON object or
// a ticket system's record gave them) become an ImportedTicket, or a problem per bad field.
import {
  TICKET_STATES,
  type ImportedTicket,
  type TicketProblem,
  type TicketSourceKind,
  type TicketState,
} from './imported-ticket.js'

/** A ticket's fields before validation; strings or, for the lists, strings or string arrays. */
export interface RawTicketFields {
  readonly externalRef?: unknown
  readonly title?: unknown
  readonly state?: unknown
  readonly approver?: unknown
  readonly approvedAt?: unknown
  readonly windowStart?: unknown
  readonly windowEnd?: unknown
  readonly nodes?: unknown
  readonly elements?: unknown
  readonly updatedAt?: unknown
}

export type TicketField = keyof RawTicketFields

export interface TicketValidation {
  readonly ticket?: ImportedTicket | undefined
  readonly problems: readonly TicketProblem[]
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/

/**
 * Reads an ISO 8601 instant that says its offset (`Z`, `+02:00` or Jira's `+0000`) and gives it
 * back in UTC; undefined for anything else. A local time without an offset is refused because
 * the same words mean different instants on the agent, the console and the ticket system.
 *
 * @example parseInstant('2026-11-27T12:00:00+02:00') // → '2026-11-27T10:00:00.000Z'
 */
export function parseInstant(text: string): string | undefined {
  const match = ISO_INSTANT.exec(text.trim())
  if (match === null) return undefined
  const [, year, month, day, hour, minute, second = '00', fraction = '', offset = 'Z'] = match
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate()
  // Date.parse rolls 30 February over into March; a date that does not exist is a typo.
  if (Number(month) < 1 || Number(month) > 12) return undefined
  if (Number(day) < 1 || Number(day) > daysInMonth) return undefined
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined
  const colonOffset = offset === 'Z' ? 'Z' : `${offset.slice(0, 3)}:${offset.slice(-2)}`
  const millis = fraction.slice(0, 4).padEnd(4, '0')
  const time = Date.parse(
    `${year}-${month}-${day}T${hour}:${minute}:${second}${millis === '0000' ? '' : millis}${colonOffset}`,
  )
  return Number.isNaN(time) ? undefined : new Date(time).toISOString()
}

/**
 * Splits a list written in one field: patterns separated by `;` or whitespace.
 *
 * @example splitPatternList('web-* tag:pci; group:edge') // → ['web-*', 'tag:pci', 'group:edge']
 */
export function splitPatternList(text: string): string[] {
  return text.split(/[;\s]+/).filter((part) => part.length > 0)
}

/**
 * Checks one ticket's raw fields; every bad field is reported, and the ticket is given only when
 * none was bad. `fieldName` says how the source calls a field (a CSV column, a JSON key).
 *
 * @example validateTicket({ externalRef: 'CHG1', title: 'nginx', state: 'approved' }, 'csv', 'changes.csv:2', (f) => f)
 */
export function validateTicket(
  raw: RawTicketFields,
  source: TicketSourceKind,
  where: string,
  fieldName: (field: TicketField) => string,
): TicketValidation {
  const problems: TicketProblem[] = []
  const problem = (field: TicketField, message: string): undefined => {
    problems.push({ where, field: fieldName(field), message })
    return undefined
  }
  const text = (field: TicketField, required: boolean): string | undefined => {
    const value = raw[field]
    if (value === undefined || value === null || value === '') {
      return required ? problem(field, 'is required and is empty') : undefined
    }
    if (typeof value !== 'string') return problem(field, `expected text, found ${typeName(value)}`)
    const trimmed = value.trim()
    if (trimmed === '' && required) return problem(field, 'is required and is empty')
    return trimmed === '' ? undefined : trimmed
  }
  const instant = (field: TicketField): string | undefined => {
    const value = text(field, false)
    if (value === undefined) return undefined
    return (
      parseInstant(value) ??
      problem(
        field,
        `expected an ISO 8601 date and time with an offset (2026-11-27T10:00:00+01:00), found "${value}"`,
      )
    )
  }
  const list = (field: TicketField): string[] => {
    const value = raw[field]
    if (value === undefined || value === null) return []
    if (typeof value === 'string') return splitPatternList(value)
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
      return value.flatMap((item) => splitPatternList(item))
    }
    problem(field, `expected a list of patterns, found ${typeName(value)}`)
    return []
  }

  const externalRef = text('externalRef', true)
  const title = text('title', true)
  const stateText = text('state', true)
  const state = stateText === undefined ? undefined : parseTicketState(stateText)
  if (stateText !== undefined && state === undefined) {
    problem('state', `expected one of ${TICKET_STATES.join(', ')}, found "${stateText}"`)
  }
  const approver = text('approver', false)
  const approvedAt = instant('approvedAt')
  const windowStart = instant('windowStart')
  const windowEnd = instant('windowEnd')
  if (windowStart !== undefined && windowEnd !== undefined && windowEnd < windowStart) {
    problem('windowEnd', `ends (${windowEnd}) before the window starts (${windowStart})`)
  }
  const nodes = list('nodes')
  const elements = list('elements')
  const updatedAt = instant('updatedAt')

  if (problems.length > 0 || externalRef === undefined || title === undefined) return { problems }
  if (state === undefined) return { problems }
  const ticket: ImportedTicket = {
    externalRef,
    source,
    title,
    state,
    nodes,
    elements,
    ...(approver === undefined ? {} : { approver }),
    ...(approvedAt === undefined ? {} : { approvedAt }),
    ...(windowStart === undefined ? {} : { windowStart }),
    ...(windowEnd === undefined ? {} : { windowEnd }),
    ...(updatedAt === undefined ? {} : { updatedAt }),
  }
  return { ticket, problems }
}

function parseTicketState(text: string): TicketState | undefined {
  const lower = text.toLowerCase()
  return TICKET_STATES.find((state) => state === lower)
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}
