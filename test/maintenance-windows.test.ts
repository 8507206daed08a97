// Maintenance windows: tied to a ticket, scoped to node groups, authorizing what their patterns
// name in their period, and nothing once they have ended.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { changesByKey, element, enrollAgent, IDENTITY, push } from './support/agent-pushes.js'
import { consoleHarness, type Harness } from './support/console-harness.js'
import { STORE_KINDS } from './support/fleet-stores.js'

const HOUR = 3_600_000
const at = (offset: number): string => new Date(Date.now() + offset).toISOString()

async function saveTicket(h: Harness, id: string, state: string): Promise<number> {
  const saved = await h.call('PUT', '/api/v1/tickets', {
    token: h.tokens.operator,
    body: {
      id,
      title: `patch night ${id}`,
      state,
      ...(state === 'approved' ? { approver: 'carol', approvedAt: at(-2 * HOUR) } : {}),
      window: { start: at(-30 * 24 * HOUR), end: at(-29 * 24 * HOUR) },
      scope: { nodes: ['name:db-01'], elements: ['file:/etc/motd'] },
    },
  })
  assert.equal(saved.status, 200, JSON.stringify(saved.body))
  const stored = await h.call('GET', '/api/v1/tickets', { token: h.tokens.auditor })
  return stored.body.find((ticket: any) => ticket.id === id).storedId
}

describe('maintenance windows', () => {
  for (const kind of STORE_KINDS) {
    test(`on ${kind}: a window on a group authorizes what it names there until it ends; bad windows are refused whole`, async (t) => {
      const h = await consoleHarness(t, kind)
      const { nodeId, credential } = await enrollAgent(h, IDENTITY, ['group:web'])
      const send = (body: unknown) =>
        h.call('POST', '/api/v1/agents/snapshots', { token: credential, body })
      await send(
        push(1, [element('/etc/nginx/nginx.conf', 'a\n'), element('/etc/passwd', 'root\n')]),
      )
      await send(
        push(
          2,
          [element('/etc/nginx/nginx.conf', 'b\n'), element('/etc/passwd', 'root\nevil\n')],
          1,
        ),
      )
      const chg = await saveTicket(h, 'CHG-10', 'approved')
      await saveTicket(h, 'CHG-11', 'rejected')
      assert.equal(
        (await changesByKey(h, nodeId))['file:/etc/nginx/nginx.conf'].verdict,
        'unauthorized',
      )

      const open = (body: Record<string, unknown>, token = h.tokens.operator) =>
        h.call('POST', '/api/v1/maintenance-windows', {
          token,
          body: {
            ticket: 'CHG-10',
            name: 'web patch night',
            nodes: ['group:web'],
            elements: ['file:/etc/nginx/**'],
            start: at(-HOUR),
            end: at(HOUR),
            ...body,
          },
        })
      const refusals: [Record<string, unknown>, number, RegExp][] = [
        [{ elements: ['nginx'] }, 400, /body\.elements\.0: 'nginx' is not kind:GLOB/],
        [{ nodes: ['rack:4'] }, 400, /body\.nodes\.0/],
        [{ end: at(8 * 24 * HOUR) }, 400, /body\.end: a maintenance window lasts at most 7 days/],
        [{ end: at(-2 * HOUR) }, 400, /body\.end: must come after start/],
        [{ ticket: 'CHG-11' }, 400, /CHG-11 is rejected/],
        [{ ticket: 'CHG-404' }, 404, /no ticket CHG-404/],
      ]
      for (const [body, status, detail] of refusals) {
        const refused = await open(body)
        assert.equal(refused.status, status, JSON.stringify(body))
        assert.match(refused.body.detail, detail)
      }
      assert.equal((await open({}, h.tokens.auditor)).status, 403)
      const none = await h.call('GET', '/api/v1/maintenance-windows', { token: h.tokens.auditor })
      assert.deepEqual(none.body, [], 'refused windows leave nothing behind')

      const opened = await open({})
      assert.equal(opened.status, 201, JSON.stringify(opened.body))
      assert.equal(opened.body.status, 'active')
      assert.ok(opened.body.verdictsChanged >= 1)
      const verdicts = await changesByKey(h, nodeId)
      const nginx = verdicts['file:/etc/nginx/nginx.conf']
      assert.equal(nginx.verdict, 'authorized')
      assert.equal(nginx.ticketId, chg)
      assert.match(nginx.verdictReason, /CHG-10\/window-/)
      // The window did not foresee /etc/passwd: the group being in maintenance is not enough.
      assert.equal(verdicts['file:/etc/passwd'].verdict, 'unauthorized')

      // Ended early: listed as ended, audited; what it authorized stays authorized.
      const ended = await h.call('DELETE', `/api/v1/maintenance-windows/${opened.body.id}`, {
        token: h.tokens.operator,
      })
      assert.equal(ended.status, 200)
      assert.equal(ended.body.status, 'ended')
      assert.equal(ended.body.endedBy, 'operator')
      const listed = await h.call('GET', '/api/v1/maintenance-windows?status=ended', {
        token: h.tokens.auditor,
      })
      assert.deepEqual(
        listed.body.map((w: any) => w.id),
        [opened.body.id],
      )
      assert.equal(
        (await changesByKey(h, nodeId))['file:/etc/nginx/nginx.conf'].verdict,
        'authorized',
      )
      const audit = await h.call('GET', '/api/v1/audit', { token: h.tokens.auditor })
      const actions = audit.body.map((entry: any) => entry.action)
      assert.ok(actions.includes('maintenance-window.create'))
      assert.ok(actions.includes('maintenance-window.end'))
      const missing = await h.call('DELETE', '/api/v1/maintenance-windows/999', {
        token: h.tokens.operator,
      })
      assert.equal(missing.status, 404)

      // A window that ended hours before the change authorizes nothing.
      const past = await open({
        elements: ['file:/etc/passwd'],
        start: at(-3 * HOUR),
        end: at(-2 * HOUR),
      })
      assert.equal(past.status, 201)
      assert.equal(past.body.status, 'ended')
      assert.equal((await changesByKey(h, nodeId))['file:/etc/passwd'].verdict, 'unauthorized')
    })
    test(`on ${kind}: a window cancelled before it began authorizes nothing, even within the clock-skew allowance`, async (t) => {
      const h = await consoleHarness(t, kind)
      const { nodeId, credential } = await enrollAgent(h, IDENTITY, ['group:web'])
      const send = (body: unknown) =>
        h.call('POST', '/api/v1/agents/snapshots', { token: credential, body })
      await send(push(1, [element('/etc/motd', 'hello\n')]))
      await saveTicket(h, 'CHG-12', 'approved')
      const planned = await h.call('POST', '/api/v1/maintenance-windows', {
        token: h.tokens.operator,
        body: {
          ticket: 'CHG-12',
          name: 'later tonight',
          nodes: ['group:web'],
          elements: ['file:/etc/motd'],
          start: at(3 * 60_000),
          end: at(HOUR),
        },
      })
      assert.equal(planned.body.status, 'upcoming')
      const cancelled = await h.call('DELETE', `/api/v1/maintenance-windows/${planned.body.id}`, {
        token: h.tokens.operator,
      })
      assert.equal(cancelled.body.status, 'ended')
      // Three minutes before the planned start: inside the 5-minute skew allowance of it.
      await send(push(2, [element('/etc/motd', 'owned\n')], 1))
      assert.equal((await changesByKey(h, nodeId))['file:/etc/motd'].verdict, 'unauthorized')
    })
  }
})
