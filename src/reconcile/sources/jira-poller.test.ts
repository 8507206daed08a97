// The Jira poller against a local server that answers as Jira's REST API v2 documents:
// POST /rest/api/2/search {jql, startAt, maxResults, fields} →
// {startAt, maxResults, total, issues: [{key, fields: {summary, status: {name}, updated, …}}]}.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test, type TestContext } from 'node:test'
import { describePollFailure, pollJira, type JiraPollerConfig } from './index.js'

interface Issue {
  key: string
  fields: Record<string, unknown>
}

interface SearchApi {
  readonly issues: Issue[]
  readonly searches: { jql: string; startAt: number; maxResults: number; fields: string[] }[]
  config: JiraPollerConfig
  failWith?: 'status-500' | 'hang' | 'not-json' | undefined
}

const WINDOW_START = 'customfield_10050'
const WINDOW_END = 'customfield_10051'
const SCOPE = 'customfield_10052'
/** Jira caps maxResults below what was asked, as real sites do. */
const SITE_MAX_RESULTS = 2

function issue(
  key: string,
  status: string,
  updated: string,
  fields: Record<string, unknown> = {},
): Issue {
  return {
    key,
    fields: { summary: `Change ${key}`, status: { name: status, id: '10001' }, updated, ...fields },
  }
}

/** Jira's `updated` → the minute JQL compares at, in UTC (the account's zone in these tests). */
function jqlMinuteOf(updated: string): string {
  const iso = new Date(Date.parse(updated.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))).toISOString()
  return `${iso.slice(0, 10).replaceAll('-', '/')} ${iso.slice(11, 16)}`
}

async function startJira(t: TestContext, issues: Issue[]): Promise<SearchApi> {
  const api: SearchApi = { issues, searches: [], config: undefined as never }
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const json = (status: number, body: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      }
      if (request.headers.authorization !== 'Bearer pat-123') {
        json(401, { errorMessages: ['You are not authenticated.'], errors: {} })
        return
      }
      if (request.method !== 'POST' || request.url !== '/jira/rest/api/2/search') {
        json(404, { errorMessages: ['Not found'], errors: {} })
        return
      }
      if (api.failWith === 'hang') return
      if (api.failWith === 'not-json') {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('Service Unavailable')
        return
      }
      if (api.failWith === 'status-500') {
        json(500, { errorMessages: ['Internal server error'], errors: {} })
        return
      }
      const search = JSON.parse(Buffer.concat(chunks).toString()) as SearchApi['searches'][number]
      api.searches.push(search)
      const since = /updated >= "([\d/]+ [\d:]+)"/.exec(search.jql)?.[1] ?? ''
      const matching = api.issues
        .filter((candidate) => jqlMinuteOf(String(candidate.fields.updated)) >= since)
        .sort((a, b) => {
          const byTime =
            Date.parse(String(a.fields.updated).replace(/(\d{2})(\d{2})$/, '$1:$2')) -
            Date.parse(String(b.fields.updated).replace(/(\d{2})(\d{2})$/, '$1:$2'))
          return byTime !== 0 ? byTime : a.key.localeCompare(b.key)
        })
      const maxResults = Math.min(search.maxResults, SITE_MAX_RESULTS)
      const page = matching.slice(search.startAt, search.startAt + maxResults).map((found) => ({
        expand: 'operations,versionedRepresentations,editmeta,changelog,renderedFields',
        id: '100',
        self: `http://jira/rest/api/2/issue/${found.key}`,
        key: found.key,
        fields: Object.fromEntries(
          search.fields.filter((field) => field in found.fields).map((f) => [f, found.fields[f]]),
        ),
      }))
      json(200, {
        expand: 'schema,names',
        startAt: search.startAt,
        maxResults,
        total: matching.length,
        issues: page,
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    server.closeAllConnections()
    server.close()
  })
  const { port } = server.address() as AddressInfo
  api.config = {
    baseUrl: `http://127.0.0.1:${port}/jira`,
    auth: { kind: 'bearer', token: 'pat-123' },
    jql: 'project = CHG AND issuetype = Change',
    fields: {
      windowStart: WINDOW_START,
      windowEnd: WINDOW_END,
      scope: SCOPE,
      approver: 'customfield_10060',
    },
    statusStates: { 'In Progress': 'implemented' },
    lookbackMinutes: 0,
  }
  return api
}

function changes(): Issue[] {
  return [
    issue('CHG-1', 'Approved', '2026-11-26T08:00:00.000+0000', {
      [WINDOW_START]: '2026-11-27T10:00:00.000+0100',
      [WINDOW_END]: '2026-11-27T12:00:00.000+0100',
      [SCOPE]: 'nodes: web-* group:edge\nelements: file:/etc/nginx/** service:nginx.service',
      customfield_10060: [{ name: 'alice', displayName: 'Alice Example', active: true }],
    }),
    issue('CHG-2', 'In Progress', '2026-11-26T09:00:00.000+0000'),
    issue('CHG-3', 'Declined', '2026-11-26T10:00:00.000+0000'),
    issue('CHG-4', 'Awaiting approval', '2026-11-26T11:00:00.000+0000'),
    issue('CHG-5', 'Done', '2026-11-26T12:00:00.000+0000'),
  ]
}

test('reads every issue across the pages Jira gives, maps statuses and custom fields', async (t) => {
  const api = await startJira(t, changes())
  const poll = await pollJira(api.config, undefined)

  assert.ok(poll.ok, poll.ok ? '' : describePollFailure(poll))
  assert.equal(poll.pages, 3)
  assert.deepEqual(
    poll.tickets.map((ticket) => [ticket.externalRef, ticket.state]),
    [
      ['CHG-1', 'approved'],
      ['CHG-2', 'implemented'],
      ['CHG-3', 'rejected'],
      ['CHG-4', 'requested'],
    ],
  )
  assert.deepEqual(poll.tickets[0], {
    externalRef: 'CHG-1',
    source: 'jira',
    title: 'Change CHG-1',
    state: 'approved',
    approver: 'Alice Example',
    windowStart: '2026-11-27T09:00:00.000Z',
    windowEnd: '2026-11-27T11:00:00.000Z',
    nodes: ['web-*', 'group:edge'],
    elements: ['file:/etc/nginx/**', 'service:nginx.service'],
    updatedAt: '2026-11-26T08:00:00.000Z',
  })
  // "Done" is not an approval: reported until the site maps it, and the others still come.
  assert.deepEqual(
    poll.problems.map((problem) => `${problem.where} ${problem.field}`),
    ['jira CHG-5 status'],
  )
  assert.equal(poll.cursor, '2026-11-26T12:00:00.000Z')
  assert.deepEqual(
    api.searches.map((search) => search.startAt),
    [0, 2, 4],
  )
  assert.equal(
    api.searches[0]?.jql,
    '(project = CHG AND issuetype = Change) ORDER BY updated ASC, key ASC',
  )
})

test('an issue that changes status is read again on the next poll, from the cursor', async (t) => {
  const api = await startJira(t, changes())
  const first = await pollJira(api.config, undefined)
  assert.ok(first.ok)
  const waiting = api.issues.find((candidate) => candidate.key === 'CHG-4')!
  waiting.fields.status = { name: 'Approved' }
  waiting.fields.updated = '2026-11-26T13:15:30.000+0000'

  const second = await pollJira(api.config, first.cursor)

  assert.ok(second.ok)
  assert.match(
    api.searches.at(-1)?.jql ?? '',
    /AND updated >= "2026\/11\/26 12:00" ORDER BY updated ASC/,
  )
  assert.deepEqual(
    second.tickets.map((ticket) => [ticket.externalRef, ticket.state]),
    [['CHG-4', 'approved']],
  )
  assert.equal(second.cursor, '2026-11-26T13:15:30.000Z')
})

test("JQL dates are written in the Jira account's time zone", async (t) => {
  const api = await startJira(t, changes())
  await pollJira(
    { ...api.config, timeZone: 'Europe/Berlin', lookbackMinutes: 1 },
    '2026-11-26T12:00:59.000Z',
  )
  assert.match(api.searches[0]?.jql ?? '', /updated >= "2026\/11\/26 12:59"/)
})

test('a 500 fails the poll visibly and keeps the cursor', async (t) => {
  const api = await startJira(t, changes())
  api.failWith = 'status-500'
  const poll = await pollJira(api.config, '2026-11-26T08:00:00.000Z')
  assert.ok(!poll.ok)
  assert.equal(poll.cursor, '2026-11-26T08:00:00.000Z')
  assert.match(
    describePollFailure(poll),
    /^jira http:\/\/127\.0\.0\.1:\d+\/jira: page 1: HTTP 500 Internal Server Error: .*Internal server error/,
  )
})

test('a Jira that never answers fails the poll after the timeout', async (t) => {
  const api = await startJira(t, changes())
  api.failWith = 'hang'
  const poll = await pollJira({ ...api.config, timeoutMs: 200 }, undefined)
  assert.ok(!poll.ok)
  assert.match(poll.cause, /no answer within 200 ms \(timed out\)/)
})

test('a body that is not JSON, or not a search result, fails the poll', async (t) => {
  const api = await startJira(t, changes())
  api.failWith = 'not-json'
  const poll = await pollJira(api.config, undefined)
  assert.ok(!poll.ok)
  assert.match(poll.cause, /the answer is not JSON: Service Unavailable/)

  api.failWith = undefined
  const wrongPath = await pollJira(
    { ...api.config, baseUrl: api.config.baseUrl.replace('/jira', '') },
    undefined,
  )
  assert.ok(!wrongPath.ok)
  assert.equal(wrongPath.status, 404)
})
