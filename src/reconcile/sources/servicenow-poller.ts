// Polls ServiceNow's Table API for change_request records updated since the cursor, page by page
// (offset, until a page comes back short), and reads them as tickets. A ticket that changes state
// gets a newer sys_updated_on, so the next poll reads it again.
import type { ImportedTicket, TicketProblem } from './imported-ticket.js'
import { PagedCursor } from './paged-cursor.js'
import { changeFromServiceNow, type ServiceNowRecord } from './servicenow-change.js'
import type { TicketPoll } from './ticket-poll.js'
import {
  DEFAULT_TICKET_SYSTEM_TIMEOUT_MS,
  requestTicketSystem,
  type TicketSystemAuth,
} from './ticket-system-request.js'

export interface ServiceNowPollerConfig {
  /** `https://acme.service-now.com` */
  readonly instance: string
  readonly auth: TicketSystemAuth
  /** An encoded query narrowing the changes read, e.g. `assignment_group.name=Datacenter`. */
  readonly query?: string | undefined
  /** Default `u_driftwatch_scope`; see servicenow-change.ts. */
  readonly scopeField?: string | undefined
  readonly approverField?: string | undefined
  /** Records per page (sysparm_limit); default 100. */
  readonly pageSize?: number | undefined
  readonly timeoutMs?: number | undefined
  /**
   * How far before the cursor each poll starts reading (default 60 s): a record written by a
   * transaction that committed late carries an update time older than ones already read.
   */
  readonly lookbackSeconds?: number | undefined
}

const SERVICENOW_DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/
const TABLE_PATH = '/api/now/table/change_request'
const DEFAULT_PAGE_SIZE = 100
const DEFAULT_LOOKBACK_SECONDS = 60
const BASE_FIELDS = [
  'sys_id',
  'number',
  'short_description',
  'description',
  'state',
  'approval',
  'start_date',
  'end_date',
  'sys_updated_on',
  'cmdb_ci.name',
]

/**
 * Reads every change_request updated at or after the cursor (ServiceNow's UTC
 * `YYYY-MM-DD HH:MM:SS`; undefined reads them all). Makes one attempt: on any failure the
 * answer carries the cursor it was given, and the tickets of pages already read are dropped, to
 * be read again next time.
 *
 * @example
 * const poll = await pollServiceNow({ instance: 'https://acme.service-now.com', auth: { kind: 'basic', user: 'dw', password } }, storedCursor)
 * if (poll.ok) { save(poll.tickets); storedCursor = poll.cursor } else log(describePollFailure(poll))
 */
export async function pollServiceNow(
  config: ServiceNowPollerConfig,
  cursor: string | undefined,
): Promise<TicketPoll> {
  const endpoint = new URL(config.instance).origin
  const scopeField = config.scopeField ?? 'u_driftwatch_scope'
  const pageSize = config.pageSize ?? DEFAULT_PAGE_SIZE
  const fields = [
    ...BASE_FIELDS,
    scopeField,
    ...(config.approverField ? [config.approverField] : []),
  ]
  if (cursor !== undefined && !SERVICENOW_DATETIME.test(cursor)) {
    return {
      ok: false,
      source: 'servicenow',
      endpoint,
      cause: `the stored cursor "${cursor}" is not a ServiceNow date-time (YYYY-MM-DD HH:MM:SS)`,
      cursor,
    }
  }
  const query = encodedQuery(cursor, config)
  const paged = new PagedCursor(cursor)
  const tickets = new Map<string, ImportedTicket>()
  const problems: TicketProblem[] = []
  const failure = (cause: string, status?: number): TicketPoll => ({
    ok: false,
    source: 'servicenow',
    endpoint,
    cause,
    status,
    cursor,
  })
  for (let page = 0; ; page += 1) {
    const url = new URL(TABLE_PATH, endpoint)
    url.search = new URLSearchParams({
      sysparm_query: query,
      sysparm_limit: String(pageSize),
      sysparm_offset: String(page * pageSize),
      sysparm_display_value: 'false',
      sysparm_exclude_reference_link: 'true',
      sysparm_fields: fields.join(','),
    }).toString()
    const answer = await requestTicketSystem({
      url,
      method: 'GET',
      auth: config.auth,
      timeoutMs: config.timeoutMs ?? DEFAULT_TICKET_SYSTEM_TIMEOUT_MS,
    })
    if (!answer.ok) return failure(`page ${page + 1}: ${answer.cause}`, answer.status)
    const records = resultRecords(answer.body)
    if (records === undefined) {
      return failure(`page ${page + 1}: the answer has no "result" array of records`)
    }
    for (const record of records) {
      const read = changeFromServiceNow(record, { scopeField, approverField: config.approverField })
      problems.push(...read.problems)
      // A ticket read twice (it moved while paging) keeps its latest version.
      if (read.ticket !== undefined) tickets.set(read.ticket.externalRef, read.ticket)
    }
    paged.addPage(
      records.map((record) => ({
        ref: stringField(record, 'sys_id') || stringField(record, 'number'),
        updated: stringField(record, 'sys_updated_on'),
      })),
    )
    if (records.length < pageSize) {
      return {
        ok: true,
        source: 'servicenow',
        endpoint,
        tickets: [...tickets.values()],
        problems,
        cursor: paged.cursor,
        pages: page + 1,
      }
    }
  }
}

function encodedQuery(cursor: string | undefined, config: ServiceNowPollerConfig): string {
  const parts: string[] = []
  if (cursor !== undefined) {
    const lookback = (config.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS) * 1000
    const since = new Date(Date.parse(`${cursor.replace(' ', 'T')}Z`) - lookback).toISOString()
    // gs.dateGenerate reads its arguments in the session user's time zone: the integration user
    // must be set to GMT (docs/tickets.md), as sys_updated_on comes back in UTC.
    parts.push(
      `sys_updated_on>=javascript:gs.dateGenerate('${since.slice(0, 10)}','${since.slice(11, 19)}')`,
    )
  }
  if (config.query) parts.push(config.query)
  // sys_id breaks ties, so that records updated in the same second keep one order across pages.
  parts.push('ORDERBYsys_updated_on', 'ORDERBYsys_id')
  return parts.join('^')
}

function resultRecords(body: unknown): ServiceNowRecord[] | undefined {
  if (typeof body !== 'object' || body === null || !('result' in body)) return undefined
  const result = body.result
  if (!Array.isArray(result)) return undefined
  return result.filter(
    (item): item is ServiceNowRecord =>
      typeof item === 'object' && item !== null && !Array.isArray(item),
  )
}

function stringField(record: ServiceNowRecord, field: string): string {
  const value = record[field]
  return typeof value === 'string' ? value : ''
}
