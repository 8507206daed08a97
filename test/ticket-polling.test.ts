// The console polling ServiceNow for change tickets, against a local server that answers as the
// Table API documents (GET /api/now/table/change_request, Basic auth, {"result":[…]} with UTC
// "YYYY-MM-DD HH:MM:SS" values), on SQLite and PostgreSQL: tickets arrive and authorize changes,
// a failing or hanging ticket system is shown and loses nothing, and consoles sharing a database
// take turns.
import assert from 'node:assert/strict'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, test, type TestContext } from 'node:test'
import { TicketPolling, type TicketSource } from '../src/console/ticket-polling.js'
import { openFleetStore } from '../src/store/open-fleet-store.js'
import { element, enrollAgent, push } from './support/agent-pushes.js'
import { consoleHarness, testConsoleContext, type Harness } from './support/console-harness.js'
import { freshDatabase, STORE_KINDS } from './support/fleet-stores.js'

type ChangeRequest = Record<string, string>

interface TableApi {
  readonly records: ChangeRequest[]
  /** Answer 500, or never answer, instead of with records. */
  failWith: 'status-500' | 'hang' | undefined
  /** Wait this long before answering (to see whether two polls overlap). */
  delayMs: number
  requests: number
  inFlight: number
  mostInFlight: number
  readonly instance: string
}

/** ServiceNow's UTC `YYYY-MM-DD HH:MM:SS`, `offsetMs` from now. */
function snTime(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toISOString().slice(0, 19).replace('T', ' ')
}

const HOUR = 3_600_000

function change(number: string, overrides: ChangeRequest = {}): ChangeRequest {
  return {
    sys_id: `sys-${number}`,
    number,
    short_description: `Change ${number}`,
    description: '',
    state: '-5',
    approval: 'requested',
    start_date: snTime(-HOUR),
    end_date: snTime(HOUR),
    sys_updated_on: snTime(-60_000),
    u_driftwatch_scope: 'nodes: web-*\nelements: file:/etc/nginx/**',
    u_approver: 'carol',
    ...overrides,
  }
}

async function startTableApi(t: TestContext, records: ChangeRequest[]): Promise<TableApi> {
  const server = createServer((request, response: ServerResponse) => {
    api.requests += 1
    api.inFlight += 1
    api.mostInFlight = Math.max(api.mostInFlight, api.inFlight)
    response.on('close', () => (api.inFlight -= 1))
    const json = (status: number, body: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }
    if (request.headers.authorization !== `Basic ${Buffer.from('dw:secret').toString('base64')}`) {
      json(401, { error: { message: 'User Not Authenticated' }, status: 'failure' })
      return
    }
    if (api.failWith === 'hang') return
    if (api.failWith === 'status-500') {
      json(500, {
        error: { message: 'Transaction cancelled: maximum execution time exceeded' },
        status: 'failure',
      })
      return
    }
    const params = new URL(request.url ?? '/', 'http://localhost').searchParams
    const since = /sys_updated_on>=javascript:gs\.dateGenerate\('([\d-]+)','([\d:]+)'\)/.exec(
      params.get('sysparm_query') ?? '',
    )
    const from = since === null ? '' : `${since[1]} ${since[2]}`
    const limit = Number(params.get('sysparm_limit'))
    const offset = Number(params.get('sysparm_offset'))
    const fields = (params.get('sysparm_fields') ?? '').split(',')
    const result = api.records
      .filter((record) => (record['sys_updated_on'] ?? '') >= from)
      .sort((a, b) =>
        `${a['sys_updated_on']}${a['sys_id']}`.localeCompare(
          `${b['sys_updated_on']}${b['sys_id']}`,
        ),
      )
      .slice(offset, offset + limit)
      .map((record) =>
        Object.fromEntries(fields.filter((field) => field in record).map((f) => [f, record[f]])),
      )
    setTimeout(() => json(200, { result }), api.delayMs)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => {
    server.closeAllConnections()
    server.close()
  })
  const { port } = server.address() as AddressInfo
  const api: TableApi = {
    records,
    failWith: undefined,
    delayMs: 0,
    requests: 0,
    inFlight: 0,
    mostInFlight: 0,
    instance: `http://127.0.0.1:${port}`,
  }
  return api
}

function serviceNow(api: TableApi, timeoutMs = 2_000): TicketSource {
  return {
    kind: 'servicenow',
    everySeconds: 0.2,
    poller: {
      instance: api.instance,
      auth: { kind: 'basic', user: 'dw', password: 'secret' },
      approverField: 'u_approver',
      pageSize: 2,
      lookbackSeconds: 0,
      timeoutMs,
    },
  }
}

const QUIET = { info: () => undefined, warn: () => undefined, error: () => undefined }

function polling(h: Pick<Harness, 'context'>, source: TicketSource, holder = 'console-a') {
  const job = new TicketPolling({
    source,
    context: h.context,
    holder,
    log: () => QUIET,
    firstRetrySeconds: 0.05,
    leaseGraceSeconds: 1,
  })
  return job
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

async function sources(h: Harness): Promise<any[]> {
  const answer = await h.call('GET', '/api/v1/tickets/sources', { token: h.tokens.auditor })
  assert.equal(answer.status, 200)
  return answer.body
}

async function ticketStates(h: Harness): Promise<Record<string, string>> {
  const answer = await h.call('GET', '/api/v1/tickets', { token: h.tokens.auditor })
  return Object.fromEntries(answer.body.map((ticket: any) => [ticket.id, ticket.state]))
}

/** An agent whose nginx.conf changed between its two snapshots; answers the change's verdict. */
async function nodeWithAChange(h: Harness): Promise<() => Promise<string>> {
  const { nodeId, credential } = await enrollAgent(h)
  for (const [sequence, body] of [
    push(1, [element('/etc/nginx/nginx.conf', 'tls off\n')]),
    push(2, [element('/etc/nginx/nginx.conf', 'tls on\n')], 1),
  ].entries()) {
    const pushed = await h.call('POST', '/api/v1/agents/snapshots', { token: credential, body })
    assert.ok(pushed.status < 300, `snapshot ${sequence + 1}: ${JSON.stringify(pushed.body)}`)
  }
  return async () => {
    const changes = await h.call('GET', `/api/v1/changes?node=${nodeId}`, {
      token: h.tokens.auditor,
    })
    return changes.body[0]?.verdict as string
  }
}

for (const kind of STORE_KINDS) {
  describe(`ticket polling on ${kind}`, () => {
    test('tickets arrive; a ticket that changes state is read again and authorizes its change', async (t) => {
      const h = await consoleHarness(t, kind)
      const verdict = await nodeWithAChange(h)
      assert.equal(await verdict(), 'unauthorized')
      const api = await startTableApi(t, [
        change('CHG0030001'),
        change('CHG0030002', { state: '4' }),
      ])
      const job = polling(h, serviceNow(api))
      job.start()
      t.after(() => job.stop())
      await until('both tickets saved', async () => {
        const states = await ticketStates(h)
        return states['CHG0030001'] === 'requested' && states['CHG0030002'] === 'rejected'
      })
      // Tickets are saved before the changes in their windows are judged again.
      await until('the change pending', async () => (await verdict()) === 'pending')

      // Approved in ServiceNow: the record's update time moves on, so the next poll reads it again.
      Object.assign(api.records[0]!, {
        state: '-2',
        approval: 'approved',
        sys_updated_on: snTime(0),
      })
      await until(
        'the ticket scheduled',
        async () => (await ticketStates(h))['CHG0030001'] === 'scheduled',
      )
      await until('the change authorized', async () => (await verdict()) === 'authorized')
      const audit = await h.call('GET', '/api/v1/audit', { token: h.tokens.auditor })
      assert.ok(
        audit.body.some(
          (entry: any) => entry.action === 'ticket.update' && entry.actor === 'poller:servicenow',
        ),
      )
      const [status] = await sources(h)
      assert.equal(status.source, 'servicenow')
      assert.equal(status.cursor, api.records[0]!['sys_updated_on'])
      assert.equal(status.failing, false)
      assert.equal(status.polledBy, 'console-a')
    })

    test('a ticket system answering 500 loses no ticket, and the cursor waits for it', async (t) => {
      const h = await consoleHarness(t, kind)
      const api = await startTableApi(t, [
        change('CHG0030001', { sys_updated_on: snTime(-120_000) }),
        change('CHG0030002', { sys_updated_on: snTime(-90_000) }),
      ])
      const job = polling(h, serviceNow(api))
      job.start()
      t.after(() => job.stop())
      const cursor = api.records[1]!['sys_updated_on']
      await until('the first poll stored', async () => (await sources(h))[0]?.cursor === cursor)

      api.failWith = 'status-500'
      api.records.push(change('CHG0030003', { sys_updated_on: snTime(-60_000) }))
      const failing = await until('two failed polls', async () => {
        const [status] = await sources(h)
        return status.failures >= 2 ? status : undefined
      })
      assert.equal(failing.failing, true)
      assert.equal(failing.cursor, cursor, 'the cursor does not move while polls fail')
      assert.match(failing.lastError, /HTTP 500.*maximum execution time/)
      assert.ok(failing.nextPollAt > failing.lastPollAt)
      assert.equal((await ticketStates(h))['CHG0030003'], undefined)

      api.failWith = undefined
      await until('the third ticket saved', async () => (await ticketStates(h))['CHG0030003'])
      const recovered = await until('the cursor moved on', async () => {
        const [status] = await sources(h)
        return status.cursor === api.records[2]!['sys_updated_on'] ? status : undefined
      })
      assert.equal(recovered.failing, false)
      assert.match(recovered.lastError, /HTTP 500/, 'the last error stays on record')
      assert.deepEqual(Object.keys(await ticketStates(h)).sort(), [
        'CHG0030001',
        'CHG0030002',
        'CHG0030003',
      ])
      const audit = await h.call('GET', '/api/v1/audit', { token: h.tokens.auditor })
      const actions = audit.body.map((entry: any) => entry.action)
      assert.equal(actions.filter((a: string) => a === 'tickets.poll-failed').length, 1)
      assert.equal(actions.filter((a: string) => a === 'tickets.poll-recovered').length, 1)
    })

    test('a hanging ticket system is reported by GET /api/v1/tickets/sources; after stop() no poll starts and the lease is given up', async (t) => {
      const h = await consoleHarness(t, kind)
      const api = await startTableApi(t, [change('CHG0030001')])
      api.failWith = 'hang'
      const job = polling(h, serviceNow(api, 200))
      job.start()
      const status = await until('a timed-out poll', async () => {
        const [found] = await sources(h)
        return found?.lastError ? found : undefined
      })
      assert.match(status.lastError, /no answer within 200 ms \(timed out\)/)
      assert.equal(status.cursor, null)
      assert.equal(status.endpoint, api.instance)
      for (const role of ['admin', 'operator'] as const) {
        const answer = await h.call('GET', '/api/v1/tickets/sources', { token: h.tokens[role] })
        assert.equal(answer.status, 200)
      }
      assert.equal((await h.call('GET', '/api/v1/tickets/sources')).status, 401)
      await job.stop()
      const requests = api.requests
      await new Promise((resolve) => setTimeout(resolve, 400))
      assert.equal(api.requests, requests, 'no poll after stop()')
      assert.equal((await sources(h))[0].polledBy, null, 'the lease is given up')
    })
  })
}

test('two consoles on one PostgreSQL database poll a source one at a time, and one takes over when the other stops', async (t) => {
  const database = await freshDatabase(t, 'postgres')
  const stores = [await openFleetStore(database.location), await openFleetStore(database.location)]
  t.after(async () => {
    for (const store of stores) await store.close()
    await database.drop()
  })
  const api = await startTableApi(t, [change('CHG0030001')])
  api.delayMs = 100
  const [a, b] = await Promise.all(
    stores.map(async (store, index) =>
      polling({ context: await testConsoleContext(store) }, serviceNow(api), `console-${index}`),
    ),
  )
  a!.start()
  b!.start()
  t.after(() => Promise.all([a!.stop(), b!.stop()]))
  const holderOf = async (): Promise<string | null> =>
    (await stores[0]!.pollerCursor('servicenow'))?.leasedBy ?? null
  const first = await until('a first poll', async () =>
    (await stores[0]!.pollerCursor('servicenow'))?.lastPollAt ? holderOf() : undefined,
  )
  const before = api.requests
  await new Promise((resolve) => setTimeout(resolve, 1_500))
  assert.equal(await holderOf(), first, 'the lease stays with one console')
  assert.equal(api.mostInFlight, 1, 'never two polls at once')
  // Every 0.2 s plus 0.1 s answers: one console polls about five times in 1.5 s, two would ten.
  assert.ok(api.requests - before <= 7, `${api.requests - before} polls in 1.5 s`)

  await (first === 'console-0' ? a : b)!.stop()
  const other = first === 'console-0' ? 'console-1' : 'console-0'
  await until('the other console polls', async () => (await holderOf()) === other)
  api.records.push(change('CHG0030002', { sys_updated_on: snTime(0) }))
  await until('its ticket saved', async () =>
    (await stores[0]!.listTickets({})).some((ticket) => ticket.externalRef === 'CHG0030002'),
  )
})
