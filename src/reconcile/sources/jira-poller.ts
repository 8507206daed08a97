// Polls Jira's REST search (POST /rest/api/2/search) for issues updated since the cursor, page by
// page (startAt, until `total` is reached), and reads them as tickets. A ticket that changes
// status gets a newer `updated`, so the next poll reads it again.
import type { ImportedTicket, TicketProblem, TicketState } from './imported-ticket.js'
import { changeFromJira, DEFAULT_JIRA_STATUS_STATES, type JiraIssue } from './jira-issue.js'
import { PagedCursor } from './paged-cursor.js'
import { parseInstant } from './ticket-fields.js'
import type { TicketPoll } from './ticket-poll.js'
import {
  DEFAULT_TICKET_SYSTEM_TIMEOUT_MS,
  requestTicketSystem,
  type TicketSystemAuth,
} from './ticket-system-request.js'

export interface JiraPollerConfig {
  /** `https://jira.example.com` (with its context path, if it has one). */
  readonly baseUrl: string
  readonly auth: TicketSystemAuth
  /** Which issues are change tickets, e.g. `project = CHG AND issuetype = Change`. */
  readonly jql: string
  readonly fields?: {
    readonly windowStart?: string | undefined
    readonly windowEnd?: string | undefined
    readonly scope?: string | undefined
    readonly approver?: string | undefined
  }
  /** Added to (and overriding) DEFAULT_JIRA_STATUS_STATES; names in any case. */
  readonly statusStates?: Readonly<Record<string, TicketState>> | undefined
  /** The time zone of the Jira account polling: JQL dates are read in it. Default `UTC`. */
  readonly timeZone?: string | undefined
  /** Issues per page (maxResults); default 50. Jira may give fewer; paging follows what it gives. */
  readonly pageSize?: number | undefined
  readonly timeoutMs?: number | undefined
  /** How far before the cursor each poll starts (default 1 min): Jira's index can lag. */
  readonly lookbackMinutes?: number | undefined
}

const SEARCH_PATH = 'rest/api/2/search'
const DEFAULT_PAGE_SIZE = 50
const DEFAULT_LOOKBACK_MINUTES = 1

/**
 * Reads every matching issue updated at or after the cursor (an ISO 8601 instant; undefined reads
 * them all). One attempt: on any failure the answer carries the cursor it was given.
 *
 * @example
 * const poll = await pollJira({ baseUrl: 'https://jira.example.com', auth: { kind: 'bearer', token }, jql: 'project = CHG' }, storedCursor)
 */
export async function pollJira(
  config: JiraPollerConfig,
  cursor: string | undefined,
): Promise<TicketPoll> {
  const base = new URL(config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`)
  const endpoint = base.href.replace(/\/$/, '')
  const failure = (cause: string, status?: number): TicketPoll => ({
    ok: false,
    source: 'jira',
    endpoint,
    cause,
    status,
    cursor,
  })
  const since = cursor === undefined ? undefined : parseInstant(cursor)
  if (cursor !== undefined && since === undefined) {
    return failure(`the stored cursor "${cursor}" is not an ISO 8601 instant`)
  }
  const choices = {
    windowStart: config.fields?.windowStart,
    windowEnd: config.fields?.windowEnd,
    scope: config.fields?.scope ?? 'description',
    approver: config.fields?.approver,
  }
  const statusStates = lowerCaseKeys({ ...DEFAULT_JIRA_STATUS_STATES, ...config.statusStates })
  const requestedFields = [
    'summary',
    'status',
    'updated',
    ...new Set([choices.scope, choices.windowStart, choices.windowEnd, choices.approver]),
  ].filter((field): field is string => field !== undefined)
  const jql = searchJql(config, since)
  const paged = new PagedCursor(cursor === undefined ? undefined : since)
  const tickets = new Map<string, ImportedTicket>()
  const problems: TicketProblem[] = []
  let startAt = 0
  for (let page = 1; ; page += 1) {
    const answer = await requestTicketSystem({
      url: new URL(SEARCH_PATH, base),
      method: 'POST',
      auth: config.auth,
      body: {
        jql,
        startAt,
        maxResults: config.pageSize ?? DEFAULT_PAGE_SIZE,
        fields: requestedFields,
      },
      timeoutMs: config.timeoutMs ?? DEFAULT_TICKET_SYSTEM_TIMEOUT_MS,
    })
    if (!answer.ok) return failure(`page ${page}: ${answer.cause}`, answer.status)
    const result = searchResult(answer.body)
    if (result === undefined) {
      return failure(`page ${page}: the answer is not a search result ({ total, issues: [...] })`)
    }
    for (const issue of result.issues) {
      const read = changeFromJira(issue, choices, statusStates)
      problems.push(...read.problems)
      if (read.ticket !== undefined) tickets.set(read.ticket.externalRef, read.ticket)
    }
    const unseen = paged.addPage(
      result.issues.map((issue) => ({
        ref: typeof issue.key === 'string' ? issue.key : '',
        updated: updatedInstant(issue),
      })),
    )
    if (result.issues.length > 0 && unseen === 0) {
      return failure(`page ${page}: the same issues came back again (startAt ignored?)`)
    }
    startAt += result.issues.length
    if (result.issues.length === 0 || startAt >= result.total) {
      return {
        ok: true,
        source: 'jira',
        endpoint,
        tickets: [...tickets.values()],
        problems,
        cursor: paged.cursor,
        pages: page,
      }
    }
  }
}

function searchJql(config: JiraPollerConfig, since: string | undefined): string {
  // `key` breaks ties, so that issues updated in the same minute keep one order across pages.
  const order = 'ORDER BY updated ASC, key ASC'
  if (since === undefined) return `(${config.jql}) ${order}`
  const lookback = (config.lookbackMinutes ?? DEFAULT_LOOKBACK_MINUTES) * 60_000
  const from = jqlMinute(new Date(Date.parse(since) - lookback), config.timeZone ?? 'UTC')
  return `(${config.jql}) AND updated >= "${from}" ${order}`
}

/** JQL takes `yyyy/MM/dd HH:mm` in the searching user's zone; the minute is floored, never rounded up. */
function jqlMinute(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant)
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((candidate) => candidate.type === type)?.value ?? '00'
  return `${part('year')}/${part('month')}/${part('day')} ${part('hour')}:${part('minute')}`
}

function searchResult(body: unknown): { total: number; issues: JiraIssue[] } | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const { total, issues } = body as { total?: unknown; issues?: unknown }
  if (typeof total !== 'number' || !Array.isArray(issues)) return undefined
  const isIssue = (item: unknown): item is JiraIssue =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
  return issues.every(isIssue) ? { total, issues } : undefined
}

function updatedInstant(issue: JiraIssue): string {
  const updated = issue.fields?.updated
  return typeof updated === 'string' ? (parseInstant(updated) ?? '') : ''
}

function lowerCaseKeys<T>(map: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [key.toLowerCase(), value]))
}
