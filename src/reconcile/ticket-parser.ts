// Checks a change ticket from any source (API body, CSV row, JSON import, a poller's mapping) and
// names every field that is wrong, so a bad row is reported and never half-imported.
import {
  APPROVED_STATES,
  TICKET_STATES,
  type ChangeTicket,
  type TicketState,
} from './change-ticket.js'
import { LIFECYCLE_VERBS } from '../model/index.js'
import { compileElementPattern, compileNodeSelector } from './scope-pattern.js'

export interface TicketProblem {
  /** Where the ticket came from: `tickets.csv:14`, `ServiceNow CHG0031337`, `POST /tickets`. */
  readonly place: string
  /** The field at fault, as a path: `window.end`, `scope.elements[2]`. */
  readonly field: string
  readonly message: string
}

export type TicketParse =
  | { readonly ok: true; readonly ticket: ChangeTicket }
  | { readonly ok: false; readonly problems: readonly TicketProblem[] }

const FIELDS = new Set([
  'id',
  'externalRef',
  'title',
  'state',
  'approver',
  'approvedAt',
  'window',
  'scope',
])
/** A timestamp must say its zone: a window read in the wrong zone is hours off. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/

/**
 * Validates a ticket. Timestamps must be ISO 8601 with a zone and come back normalized to UTC
 * (`2025-03-01T10:00:00.000Z`); a ticket in an approved state must name its approver and when it
 * was approved; scope needs at least one node selector and one element pattern.
 *
 * @example
 * parseTicket({ id: 'T-1', title: 'nginx TLS', state: 'approved', approver: 'carol',
 *   approvedAt: '2025-03-01T09:00:00Z',
 *   window: { start: '2025-03-01T10:00:00Z', end: '2025-03-01T12:00:00Z' },
 *   scope: { nodes: ['name:web-*'], elements: ['file:/etc/nginx/**'] } }, 'api')
 * // { ok: true, ticket: { id: 'T-1', externalRef: null, … } }
 */
export function parseTicket(input: unknown, place: string): TicketParse {
  const problems: TicketProblem[] = []
  const problem = (field: string, message: string): void => {
    problems.push({ place, field, message })
  }
  if (!isRecord(input))
    return { ok: false, problems: [{ place, field: '', message: 'not an object' }] }
  for (const field of Object.keys(input))
    if (!FIELDS.has(field)) problem(field, `unknown field (known: ${[...FIELDS].join(', ')})`)

  const text = (field: string, optional: boolean): string | null => {
    const value = input[field]
    if ((value === undefined || value === null || value === '') && optional) return null
    if (typeof value !== 'string' || value.trim() === '') {
      problem(field, 'must be a non-empty string')
      return null
    }
    return value.trim()
  }
  const instant = (value: unknown, field: string, optional: boolean): string | null => {
    if ((value === undefined || value === null || value === '') && optional) return null
    if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
      problem(field, `must be an ISO 8601 time with a zone, e.g. 2025-03-01T10:00:00Z`)
      return null
    }
    return new Date(value).toISOString()
  }

  const id = text('id', false)
  const externalRef = text('externalRef', true)
  const title = text('title', false)
  const state = input['state']
  const validState = TICKET_STATES.includes(state as TicketState)
  if (!validState) problem('state', `must be one of ${TICKET_STATES.join(', ')}`)
  const approved = validState && APPROVED_STATES.has(state as TicketState)
  const approver = text('approver', !approved)
  const approvedAt = instant(input['approvedAt'], 'approvedAt', !approved)

  const window = input['window']
  let start: string | null = null
  let end: string | null = null
  if (!isRecord(window)) problem('window', 'must be { start, end }')
  else {
    start = instant(window['start'], 'window.start', false)
    end = instant(window['end'], 'window.end', false)
    if (start !== null && end !== null && end <= start)
      problem('window.end', `must be after window.start (${start})`)
  }

  const scope = input['scope']
  const nodes: string[] = []
  const elements: string[] = []
  let verbs: string[] | undefined
  if (!isRecord(scope)) problem('scope', 'must be { nodes: [...], elements: [...] }')
  else {
    const list = (
      field: 'nodes' | 'elements' | 'verbs',
      out: string[],
      check: (s: string) => unknown,
    ) => {
      const value = scope[field]
      if (!Array.isArray(value) || value.length === 0) {
        problem(`scope.${field}`, 'must be a non-empty list')
        return
      }
      value.forEach((entry: unknown, index) => {
        if (typeof entry !== 'string') return problem(`scope.${field}[${index}]`, 'not a string')
        try {
          check(entry)
          out.push(entry)
        } catch (error) {
          problem(`scope.${field}[${index}]`, (error as Error).message)
        }
      })
    }
    list('nodes', nodes, compileNodeSelector)
    list('elements', elements, compileElementPattern)
    if (scope['verbs'] !== undefined) {
      verbs = []
      list('verbs', verbs, (verb) => {
        if (!(LIFECYCLE_VERBS as readonly string[]).includes(verb))
          throw new Error(`'${verb}' is not a lifecycle verb (${LIFECYCLE_VERBS.join(', ')})`)
      })
    }
  }

  if (problems.length > 0 || id === null || title === null || start === null || end === null)
    return { ok: false, problems }
  return {
    ok: true,
    ticket: {
      id,
      externalRef,
      title,
      state: state as TicketState,
      approver,
      approvedAt,
      window: { start, end },
      scope: { nodes, elements, ...(verbs === undefined ? {} : { verbs }) },
    },
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
