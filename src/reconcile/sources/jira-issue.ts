// One Jira issue (REST API v2 search, `fields` as Jira returns them) read as a ticket. Jira has
// no change model of its own, so the status names, the window fields and the scope field are the
// site's choice; the defaults follow Jira Service Management's change workflow.
import type { ImportedTicket, TicketProblem, TicketState } from './imported-ticket.js'
import { parseScopeText } from './scope-text.js'
import { validateTicket, type TicketField } from './ticket-fields.js'

export interface JiraFieldChoices {
  /** Field ids (`customfield_10050`) of date-time fields holding the change window. */
  readonly windowStart?: string | undefined
  readonly windowEnd?: string | undefined
  /** Holds `nodes: …` / `elements: …` lines; default `description` (`driftwatch-…` lines). */
  readonly scope: string
  /** A user, user-list or text field naming who approved. */
  readonly approver?: string | undefined
}

/**
 * Status name (any case) → ticket state. Only statuses that say the change was authorized map to
 * approved and after; a generic "In Progress" or "Done" is left out on purpose, because a workflow
 * without an approval step reaches them too: such a status is reported until the site maps it.
 */
export const DEFAULT_JIRA_STATUS_STATES: Readonly<Record<string, TicketState>> = {
  open: 'requested',
  'to do': 'requested',
  planning: 'requested',
  'under review': 'requested',
  'awaiting approval': 'requested',
  'waiting for approval': 'requested',
  requested: 'requested',
  approved: 'approved',
  'awaiting implementation': 'scheduled',
  scheduled: 'scheduled',
  implementing: 'implemented',
  'peer review': 'implemented',
  implemented: 'implemented',
  completed: 'closed',
  failed: 'closed',
  closed: 'closed',
  declined: 'rejected',
  rejected: 'rejected',
  canceled: 'rejected',
  cancelled: 'rejected',
}

export interface JiraIssue {
  readonly key?: unknown
  readonly fields?: Readonly<Record<string, unknown>> | undefined
}

/**
 * Reads one issue of a search answer as a ticket, or the problems that keep it from being one.
 *
 * @example changeFromJira({ key: 'OPS-12', fields: { summary: 'nginx', status: { name: 'Approved' }, updated: '2026-11-27T10:00:00.000+0000' } }, { scope: 'description' }, DEFAULT_JIRA_STATUS_STATES)
 */
export function changeFromJira(
  issue: JiraIssue,
  choices: JiraFieldChoices,
  statusStates: Readonly<Record<string, TicketState>>,
): { ticket?: ImportedTicket | undefined; problems: readonly TicketProblem[] } {
  const key = typeof issue.key === 'string' ? issue.key : ''
  const where = `jira ${key || '(an issue without a key)'}`
  const fields = issue.fields ?? {}
  const statusName = nameOf(fields.status)
  const state = statusStates[statusName.toLowerCase()]
  if (state === undefined) {
    const message = `status "${statusName}" is not mapped to a ticket state; map it in the Jira source's statusStates`
    return { problems: [{ where, field: 'status', message }] }
  }
  const scopeValue = fields[choices.scope]
  const scope = parseScopeText(
    typeof scopeValue === 'string' ? scopeValue : '',
    choices.scope === 'description' ? 'description' : 'scope-field',
  )
  const approver = choices.approver === undefined ? '' : peopleOf(fields[choices.approver])
  const fieldNames: Readonly<Record<TicketField, string>> = {
    externalRef: 'key',
    title: 'summary',
    state: 'status',
    approver: choices.approver ?? 'approver',
    approvedAt: 'approvedAt',
    windowStart: choices.windowStart ?? 'windowStart',
    windowEnd: choices.windowEnd ?? 'windowEnd',
    nodes: choices.scope,
    elements: choices.scope,
    updatedAt: 'updated',
  }
  return validateTicket(
    {
      externalRef: key,
      title: fields.summary,
      state,
      approver: approver === '' ? undefined : approver,
      windowStart: choices.windowStart === undefined ? undefined : fields[choices.windowStart],
      windowEnd: choices.windowEnd === undefined ? undefined : fields[choices.windowEnd],
      nodes: scope.nodes,
      elements: scope.elements,
      updatedAt: fields.updated,
    },
    'jira',
    where,
    (field) => fieldNames[field],
  )
}

/** Jira gives a status as `{ name }`, a user as `{ displayName, name, emailAddress, accountId }`. */
function nameOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value !== 'object' || value === null) return ''
  const record = value as Record<string, unknown>
  for (const key of ['displayName', 'name', 'emailAddress', 'accountId', 'value']) {
    const candidate = record[key]
    if (typeof candidate === 'string' && candidate !== '') return candidate
  }
  return ''
}

function peopleOf(value: unknown): string {
  const people = Array.isArray(value) ? value.map(nameOf) : [nameOf(value)]
  return people.filter((person) => person !== '').join(', ')
}
