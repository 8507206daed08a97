// The ServiceNow poller against a local server that answers as the Table API documents:
// GET /api/now/table/change_request with sysparm_query / _limit / _offset / _fields, Basic auth,
// {"result":[…]} with UTC "YYYY-MM-DD HH:MM:SS" values (sysparm_display_value=false).
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test, type TestContext } from 'node:test'
import { describePollFailure, pollServiceNow, type ServiceNowPollerConfig } from './index.js'

type ChangeRequest = Record<string, string>

interface TableApi {
  readonly records: ChangeRequest[]
  readonly queries: URLSearchParams[]
  config: ServiceNowPollerConfig
  /** Answers the next requests this way instead of with records; undefined: normally. */
  failWith?: 'status-500' | 'hang' | 'html' | undefined
  failFromPage?: number
  afterPage?: ((page: number) => void) | undefined
}

function change(number: string, overrides: ChangeRequest = {}): ChangeRequest {
  return {
    sys_id: `sys-${number}`,
    number,
    short_description: `Change ${number}`,
    description: '',
    state: '-5',
    approval: 'requested',
    start_date: '',
    end_date: '',
    sys_updated_on: '2026-11-27 09:00:00',
    ...overrides,
  }
}

async function startTableApi(t: TestContext, records: ChangeRequest[]): Promise<TableApi> {
  const api: TableApi = { records, queries: [], config: undefined as never }
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }
    if (request.headers.authorization !== `Basic ${Buffer.from('dw:secret').toString('base64')}`) {
      json(401, {
        error: {
          message: 'User Not Authenticated',
          detail: 'Required to provide Auth information',
        },
        status: 'failure',
      })
      return
    }
    if (url.pathname !== '/api/now/table/change_request') {
      json(400, { error: { message: 'Invalid table', detail: null }, status: 'failure' })
      return
    }
    const params = url.searchParams
    api.queries.push(params)
    const limit = Number(params.get('sysparm_limit'))
    const offset = Number(params.get('sysparm_offset'))
    const page = offset / limit + 1
    if (api.failWith !== undefined && page >= (api.failFromPage ?? 1)) {
      if (api.failWith === 'hang') return
      if (api.failWith === 'html') {
        response
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<html>Instance hibernating</html>')
        return
      }
      json(500, {
        error: { message: 'Transaction cancelled: maximum execution time exceeded' },
        status: 'failure',
      })
      return
    }
    const since = /sys_updated_on>=javascript:gs\.dateGenerate\('([\d-]+)','([\d:]+)'\)/.exec(
      params.get('sysparm_query') ?? '',
    )
    const from = since === null ? '' : `${since[1]} ${since[2]}`
    const fields = (params.get('sysparm_fields') ?? '').split(',')
    const matching = api.records
      .filter((record) => (record.sys_updated_on ?? '') >= from)
      .sort((a, b) =>
        `${a.sys_updated_on}${a.sys_id}`.localeCompare(`${b.sys_updated_on}${b.sys_id}`),
      )
    const result = matching
      .slice(offset, offset + limit)
      .map((record) =>
        Object.fromEntries(fields.filter((field) => field in record).map((f) => [f, record[f]])),
      )
    response.setHeader('X-Total-Count', String(matching.length))
    json(200, { result })
    api.afterPage?.(page)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    server.closeAllConnections()
    server.close()
  })
  const { port } = server.address() as AddressInfo
  api.config = {
    instance: `http://127.0.0.1:${port}`,
    auth: { kind: 'basic', user: 'dw', password: 'secret' },
    pageSize: 2,
    lookbackSeconds: 0,
  }
  return api
}

function fiveChanges(): ChangeRequest[] {
  return [
    change('CHG0030001', {
      short_description: 'Rotate nginx TLS certificates',
      state: '-2',
      approval: 'approved',
      start_date: '2026-11-27 10:00:00',
      end_date: '2026-11-27 12:00:00',
      sys_updated_on: '2026-11-26 08:00:00',
      'cmdb_ci.name': 'web-01',
      u_driftwatch_scope: 'nodes: web-02 tag:pci\nelements: file:/etc/nginx/** package:nginx*',
    }),
    change('CHG0030002', {
      state: '-1',
      approval: 'approved',
      sys_updated_on: '2026-11-26 09:00:00',
      description:
        'Kernel update.\ndriftwatch-nodes: db-*\ndriftwatch-elements: package:linux-image*',
    }),
    change('CHG0030003', {
      state: '4',
      approval: 'approved',
      sys_updated_on: '2026-11-26 10:00:00',
    }),
    change('CHG0030004', {
      state: '-3',
      approval: 'rejected',
      sys_updated_on: '2026-11-26 11:00:00',
    }),
    change('CHG0030005', { state: '-4', sys_updated_on: '2026-11-26 12:00:00' }),
  ]
}

test('reads every change across pages, maps states, window and scope, and returns the newest update as cursor', async (t) => {
  const api = await startTableApi(t, fiveChanges())
  const poll = await pollServiceNow(api.config, undefined)

  assert.ok(poll.ok, poll.ok ? '' : describePollFailure(poll))
  assert.equal(poll.pages, 3)
  assert.equal(poll.cursor, '2026-11-26 12:00:00')
  assert.deepEqual(poll.problems, [])
  assert.deepEqual(
    poll.tickets.map((ticket) => [ticket.externalRef, ticket.state]),
    [
      ['CHG0030001', 'scheduled'],
      ['CHG0030002', 'implemented'],
      ['CHG0030003', 'rejected'],
      ['CHG0030004', 'rejected'],
      ['CHG0030005', 'requested'],
    ],
  )
  assert.deepEqual(poll.tickets[0], {
    externalRef: 'CHG0030001',
    source: 'servicenow',
    title: 'Rotate nginx TLS certificates',
    state: 'scheduled',
    windowStart: '2026-11-27T10:00:00.000Z',
    windowEnd: '2026-11-27T12:00:00.000Z',
    nodes: ['web-01', 'web-02', 'tag:pci'],
    elements: ['file:/etc/nginx/**', 'package:nginx*'],
    updatedAt: '2026-11-26T08:00:00.000Z',
  })
  assert.deepEqual(poll.tickets[1]?.nodes, ['db-*'])
  assert.deepEqual(poll.tickets[1]?.elements, ['package:linux-image*'])
  const first = api.queries[0]
  assert.equal(first?.get('sysparm_display_value'), 'false')
  assert.equal(first?.get('sysparm_query'), 'ORDERBYsys_updated_on^ORDERBYsys_id')
  assert.deepEqual(
    api.queries.map((query) => query.get('sysparm_offset')),
    ['0', '2', '4'],
  )
})

test('a ticket that changes state is read again on the next poll, from the cursor', async (t) => {
  const api = await startTableApi(t, fiveChanges())
  const first = await pollServiceNow(api.config, undefined)
  assert.ok(first.ok)
  const pending = api.records.find((record) => record.number === 'CHG0030005')!
  Object.assign(pending, {
    state: '-2',
    approval: 'approved',
    sys_updated_on: '2026-11-26 13:30:00',
  })

  const second = await pollServiceNow(api.config, first.cursor)

  assert.ok(second.ok)
  assert.match(
    api.queries.at(-1)?.get('sysparm_query') ?? '',
    /^sys_updated_on>=javascript:gs\.dateGenerate\('2026-11-26','12:00:00'\)\^ORDERBYsys_updated_on/,
  )
  assert.deepEqual(
    second.tickets.map((ticket) => [ticket.externalRef, ticket.state]),
    [['CHG0030005', 'scheduled']],
  )
  assert.equal(second.cursor, '2026-11-26 13:30:00')
})

test('a ticket updated while paging does not make the poll skip the one that slid past', async (t) => {
  const api = await startTableApi(t, fiveChanges())
  // After page 1 (CHG1, CHG2) is served, CHG1 is updated: it moves to the end, and CHG3 slides
  // from page 2 onto page 1, which has been read already.
  api.afterPage = (page) => {
    if (page !== 1) return
    Object.assign(api.records[0]!, { state: '3', sys_updated_on: '2026-11-26 14:00:00' })
  }
  const first = await pollServiceNow(api.config, undefined)
  assert.ok(first.ok)
  assert.ok(!first.tickets.some((ticket) => ticket.externalRef === 'CHG0030003'))
  assert.equal(first.tickets.find((ticket) => ticket.externalRef === 'CHG0030001')?.state, 'closed')
  // Held back to the newest update on the page CHG1 was first seen on, not CHG1's new time.
  assert.equal(first.cursor, '2026-11-26 09:00:00')

  api.afterPage = undefined
  const second = await pollServiceNow(api.config, first.cursor)
  assert.ok(second.ok)
  assert.ok(second.tickets.some((ticket) => ticket.externalRef === 'CHG0030003'))
})

test('a 500 on the second page fails the poll visibly, keeps the cursor, and the next poll reads it all', async (t) => {
  const api = await startTableApi(t, fiveChanges())
  api.failWith = 'status-500'
  api.failFromPage = 2
  const failed = await pollServiceNow(api.config, '2026-11-25 00:00:00')

  assert.equal(failed.ok, false)
  assert.ok(!failed.ok)
  assert.equal(failed.cursor, '2026-11-25 00:00:00')
  assert.equal(failed.status, 500)
  assert.match(
    describePollFailure(failed),
    /^servicenow http:\/\/127\.0\.0\.1:\d+: page 2: HTTP 500 Internal Server Error: .*maximum execution time/,
  )

  api.failWith = undefined
  const retried = await pollServiceNow(api.config, failed.cursor)
  assert.ok(retried.ok)
  assert.equal(retried.tickets.length, 5)
})

test('a server that never answers fails the poll after the timeout', async (t) => {
  const api = await startTableApi(t, fiveChanges())
  api.failWith = 'hang'
  const started = Date.now()
  const poll = await pollServiceNow({ ...api.config, timeoutMs: 200 }, undefined)
  assert.ok(!poll.ok)
  assert.match(poll.cause, /no answer within 200 ms \(timed out\)/)
  assert.equal(poll.cursor, undefined)
  assert.ok(Date.now() - started < 5_000)
})

test('an answer that is not JSON (a hibernating instance) fails the poll and says what came', async (t) => {
  const api = await startTableApi(t, fiveChanges())
  api.failWith = 'html'
  const poll = await pollServiceNow(api.config, undefined)
  assert.ok(!poll.ok)
  assert.match(poll.cause, /the answer is not JSON: <html>Instance hibernating<\/html>/)
})

test('refused credentials fail the poll without echoing them', async (t) => {
  const api = await startTableApi(t, fiveChanges())
  const poll = await pollServiceNow(
    { ...api.config, auth: { kind: 'basic', user: 'dw', password: 'wrong-password' } },
    undefined,
  )
  assert.ok(!poll.ok)
  assert.equal(poll.status, 401)
  assert.match(poll.cause, /HTTP 401 Unauthorized \(the credentials were refused/)
  assert.doesNotMatch(describePollFailure(poll), /wrong-password/)
})

test('a change in a state driftwatch does not know is reported, and the others still come', async (t) => {
  const api = await startTableApi(t, [
    change('CHG0030010', {
      state: '7',
      approval: 'approved',
      sys_updated_on: '2026-11-26 08:00:00',
    }),
    change('CHG0030011', {
      state: '-2',
      approval: 'approved',
      sys_updated_on: '2026-11-26 09:00:00',
    }),
  ])
  const poll = await pollServiceNow(api.config, undefined)
  assert.ok(poll.ok)
  assert.deepEqual(
    poll.tickets.map((ticket) => ticket.externalRef),
    ['CHG0030011'],
  )
  assert.deepEqual(
    poll.problems.map((problem) => [problem.where, problem.field]),
    [['servicenow CHG0030010', 'state']],
  )
})
