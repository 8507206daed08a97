// One ServiceNow change_request record (Table API, sysparm_display_value=false) read as a ticket.
//
// States: ServiceNow's change model has numeric states; its `approval` field says whether the
// change was authorized. Ours must never call a change approved that ServiceNow did not approve:
//
//   state                          approval                         → driftwatch
//   any                            rejected                         → rejected
//   4  Canceled                    any                              → rejected (authorizes nothing)
//   -5 New, -4 Assess, -3 Authorize approved                         → approved
//   -5 New, -4 Assess, -3 Authorize anything else                    → requested
//   -2 Scheduled                   approved, not requested/required → scheduled
//   -1 Implement, 0 Review         approved, not requested/required → implemented
//   3  Closed                      approved, not requested/required → closed
//   -2, -1, 0, 3                   requested (still pending)        → requested
//
// "not requested" past Authorize is a change whose model needs no approval (a standard,
// pre-approved change): ServiceNow moved it on, so it stands as authorized. Any other state code
// (a custom state) is reported, not guessed.
import type { ImportedTicket, TicketProblem, TicketState } from './imported-ticket.js'
import { parseScopeText } from './scope-text.js'
import { validateTicket, type TicketField } from './ticket-fields.js'

export interface ServiceNowFieldChoices {
  /** Holds `nodes: …` / `elements: …` lines; when empty, the description's `driftwatch-…` lines. */
  readonly scopeField: string
  /** A field (dot-walked if need be, e.g. `u_approved_by.user_name`) naming the approver. */
  readonly approverField?: string | undefined
}

export type ServiceNowRecord = Readonly<Record<string, unknown>>

const NOT_YET_AUTHORIZED = new Set(['-5', '-4', '-3'])
const AUTHORIZED: Readonly<Record<string, TicketState>> = {
  '-2': 'scheduled',
  '-1': 'implemented',
  '0': 'implemented',
  '3': 'closed',
}
const STANDS_APPROVED = new Set(['approved', 'not requested', 'not_requested', 'not_required'])

const FIELD_NAMES: Readonly<Record<TicketField, string>> = {
  externalRef: 'number',
  title: 'short_description',
  state: 'state',
  approver: 'approver',
  approvedAt: 'approved_at',
  windowStart: 'start_date',
  windowEnd: 'end_date',
  nodes: 'cmdb_ci.name',
  elements: 'scope',
  updatedAt: 'sys_updated_on',
}

/**
 * Maps ServiceNow's change state and approval onto driftwatch's ticket state (table above).
 *
 * @example serviceNowTicketState('-2', 'approved') // → 'scheduled'
 */
export function serviceNowTicketState(state: string, approval: string): TicketState | undefined {
  if (approval === 'rejected' || state === '4') return 'rejected'
  if (NOT_YET_AUTHORIZED.has(state)) return approval === 'approved' ? 'approved' : 'requested'
  const authorized = AUTHORIZED[state]
  if (authorized === undefined) return undefined
  return STANDS_APPROVED.has(approval) ? authorized : 'requested'
}

/**
 * Reads ServiceNow's UTC `YYYY-MM-DD HH:MM:SS` (what the Table API gives with
 * sysparm_display_value=false) as ISO 8601 with its offset.
 *
 * @example serviceNowInstant('2026-11-27 10:00:00') // → '2026-11-27T10:00:00Z'
 */
function serviceNowInstant(text: string): string {
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text
}

/**
 * Reads one change_request record as a ticket, or the problems that keep it from being one.
 *
 * @example changeFromServiceNow({ number: 'CHG0030001', short_description: 'nginx', state: '-2', approval: 'approved' }, { scopeField: 'u_driftwatch_scope' })
 */
export function changeFromServiceNow(
  record: ServiceNowRecord,
  choices: ServiceNowFieldChoices,
): { ticket?: ImportedTicket | undefined; problems: readonly TicketProblem[] } {
  const number = text(record.number)
  const where = `servicenow ${number || '(a change_request without a number)'}`
  const stateCode = text(record.state)
  const approval = text(record.approval).toLowerCase()
  const state = serviceNowTicketState(stateCode, approval)
  if (state === undefined) {
    const message = `unknown change state "${stateCode}" (approval "${approval}"); expected -5, -4, -3, -2, -1, 0, 3 or 4`
    return { problems: [{ where, field: 'state', message }] }
  }
  const scopeText = text(record[choices.scopeField])
  const scope =
    scopeText === ''
      ? parseScopeText(text(record.description), 'description')
      : parseScopeText(scopeText, 'scope-field')
  const configurationItem = text(record['cmdb_ci.name'])
  const approver = choices.approverField === undefined ? '' : text(record[choices.approverField])
  const instant = (value: unknown): string | undefined =>
    text(value) === '' ? undefined : serviceNowInstant(text(value))
  return validateTicket(
    {
      externalRef: number,
      title: text(record.short_description),
      state,
      approver: approver === '' ? undefined : approver,
      windowStart: instant(record.start_date),
      windowEnd: instant(record.end_date),
      nodes: configurationItem === '' ? scope.nodes : [configurationItem, ...scope.nodes],
      elements: scope.elements,
      updatedAt: instant(record.sys_updated_on),
    },
    'servicenow',
    where,
    (field) => (field === 'elements' ? choices.scopeField : FIELD_NAMES[field]),
  )
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : ''
}
