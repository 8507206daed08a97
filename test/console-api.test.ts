// The console's API on SQLite and PostgreSQL: roles on every route, login limits, the agent's
// enroll → push → change → promote cycle, and bad input that changes nothing.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { gzipSync } from 'node:zlib'
import { recordPolicyChange } from '../src/console/policy-audit.js'
import { resolvePolicies } from '../src/policy/index.js'
import { element, enrollAgent, IDENTITY, push } from './support/agent-pushes.js'
import { consoleHarness, PASSWORD } from './support/console-harness.js'
import { STORE_KINDS } from './support/fleet-stores.js'

const DEBIAN = { key: 'os:release', attributes: JSON.stringify({ id: 'debian', versionId: '12' }) }
const OPENSSH = {
  key: 'package:openssh-server',
  attributes: JSON.stringify({ status: 'install ok installed', version: '1:9.2p1-2+deb12u3' }),
}
const SSHD_GOOD = 'PermitRootLogin no\nPasswordAuthentication no\n'

for (const kind of STORE_KINDS) {
  describe(`console API on ${kind}`, () => {
    test('health needs no login; everything else does, and unknown routes are 404 problems', async (t) => {
      const h = await consoleHarness(t, kind)
      assert.deepEqual((await h.call('GET', '/api/v1/health')).body, { status: 'ok' })
      const anonymous = await h.call('GET', '/api/v1/nodes')
      assert.equal(anonymous.status, 401)
      assert.equal(anonymous.body.code, 'DW_ERR_UNAUTHENTICATED')
      const forged = await h.call('GET', '/api/v1/nodes', { token: 'dws_not-a-session' })
      assert.equal(forged.status, 401)
      const missing = await h.call('GET', '/api/v1/no-such-thing', { token: h.tokens.admin })
      assert.equal(missing.status, 404)
      assert.equal(missing.body.code, 'DW_ERR_NOT_FOUND')
      const document = await h.call('GET', '/api/v1/openapi.json')
      assert.ok(document.body.paths['/api/v1/nodes/{id}/promote'].post)
    })

    test('roles: auditors read, operators promote, only admins manage access', async (t) => {
      const h = await consoleHarness(t, kind)
      const { nodeId } = await enrollAgent(h)
      assert.equal((await h.call('GET', '/api/v1/nodes', { token: h.tokens.auditor })).status, 200)
      const promoteBody = { keys: 'all', reason: 'reviewed' }
      const byAuditor = await h.call('POST', `/api/v1/nodes/${nodeId}/promote`, {
        token: h.tokens.auditor,
        body: promoteBody,
      })
      assert.equal(byAuditor.status, 403)
      assert.equal(byAuditor.body.code, 'DW_ERR_FORBIDDEN')
      assert.equal(
        (
          await h.call('POST', `/api/v1/nodes/${nodeId}/promote`, {
            token: h.tokens.operator,
            body: promoteBody,
          })
        ).status,
        200,
      )
      const newUser = { name: 'bob', password: 'a long enough password', role: 'auditor' }
      assert.equal(
        (await h.call('POST', '/api/v1/users', { token: h.tokens.operator, body: newUser })).status,
        403,
      )
      assert.equal(
        (await h.call('POST', '/api/v1/enrollment-tokens', { token: h.tokens.auditor, body: {} }))
          .status,
        403,
      )
      assert.equal((await h.call('GET', '/api/v1/audit', { token: h.tokens.operator })).status, 403)
      assert.equal(
        (await h.call('POST', '/api/v1/users', { token: h.tokens.admin, body: newUser })).status,
        201,
      )

      const apiToken = await h.call('POST', '/api/v1/api-tokens', {
        token: h.tokens.admin,
        body: { name: 'ci', user: 'bob' },
      })
      assert.equal(apiToken.status, 201)
      assert.equal(
        (await h.call('GET', '/api/v1/changes', { token: apiToken.body.token })).status,
        200,
      )
      assert.equal(
        (
          await h.call('POST', `/api/v1/nodes/${nodeId}/promote`, {
            token: apiToken.body.token,
            body: promoteBody,
          })
        ).status,
        403,
      )
      assert.equal(
        (
          await h.call('DELETE', `/api/v1/api-tokens/${apiToken.body.id}`, {
            token: h.tokens.admin,
          })
        ).status,
        204,
      )
      assert.equal(
        (await h.call('GET', '/api/v1/changes', { token: apiToken.body.token })).status,
        401,
      )
    })

    test('failed logins are limited per user and recorded in the audit log', async (t) => {
      const h = await consoleHarness(t, kind)
      for (let attempt = 0; attempt < 5; attempt++) {
        const wrong = await h.call('POST', '/api/v1/login', {
          body: { name: 'operator', password: 'guess' },
        })
        assert.equal(wrong.status, 401)
      }
      const limited = await h.call('POST', '/api/v1/login', {
        body: { name: 'operator', password: PASSWORD },
      })
      assert.equal(limited.status, 429)
      assert.equal(limited.body.code, 'DW_ERR_RATE_LIMITED')
      assert.ok(Number(limited.headers['retry-after']) > 0)
      // A colleague behind the same address is not locked out by someone else's typos.
      const colleague = await h.call('POST', '/api/v1/login', {
        body: { name: 'auditor', password: PASSWORD },
      })
      assert.equal(colleague.status, 200)
      const audit = await h.call('GET', '/api/v1/audit', { token: h.tokens.auditor })
      assert.equal(audit.body.filter((entry: any) => entry.action === 'login.failed').length, 5)
    })

    test('an agent enrolls, pushes, and its change shows, is promoted and is gone', async (t) => {
      const h = await consoleHarness(t, kind, { policies: ['debian-baseline'] })
      const { nodeId, credential } = await enrollAgent(h)
      const agent = { token: credential }
      const first = await h.call('POST', '/api/v1/agents/snapshots', {
        ...agent,
        body: push(1, [
          element('/etc/motd', 'hello\n'),
          element('/etc/ssh/sshd_config', SSHD_GOOD),
          OPENSSH,
          DEBIAN,
        ]),
      })
      assert.equal(first.status, 200, JSON.stringify(first.body))
      assert.equal(first.body.baseline, true)

      const second = await h.call('POST', '/api/v1/agents/snapshots', {
        ...agent,
        body: push(2, [element('/etc/ssh/sshd_config', 'PermitRootLogin yes\n')], 1),
      })
      assert.equal(second.body.changes, 1)
      const open = await h.call('GET', `/api/v1/changes?node=${nodeId}&status=open`, {
        token: h.tokens.auditor,
      })
      assert.deepEqual(
        open.body.map((c: any) => [c.key, c.kind]),
        [['file:/etc/ssh/sshd_config', 'modified']],
      )

      // The policies judged the new state: root may log in over SSH now.
      const results = await h.call(
        'GET',
        `/api/v1/results?node=${nodeId}&test=ssh-root-login-disabled`,
        { token: h.tokens.auditor },
      )
      assert.equal(results.body[0].status, 'fail')
      assert.equal(results.body[0].detail.actual, 'yes (/etc/ssh/sshd_config:1)')
      assert.equal(results.body[0].detail.expected, 'no')

      const versions = await h.call(
        'GET',
        `/api/v1/nodes/${nodeId}/elements/versions?key=${encodeURIComponent('file:/etc/ssh/sshd_config')}`,
        { token: h.tokens.auditor },
      )
      assert.equal(versions.body.versions.length, 2)

      const promoted = await h.call('POST', `/api/v1/nodes/${nodeId}/promote`, {
        token: h.tokens.operator,
        body: { keys: ['file:/etc/ssh/sshd_config'], reason: 'CHG-42 approved' },
      })
      assert.deepEqual(promoted.body.promoted, ['file:/etc/ssh/sshd_config'])
      const after = await h.call('GET', `/api/v1/changes?node=${nodeId}&status=open`, {
        token: h.tokens.auditor,
      })
      assert.deepEqual(after.body, [])
      const audit = await h.call('GET', '/api/v1/audit', { token: h.tokens.auditor })
      const promotion = audit.body.find((entry: any) => entry.action === 'baseline.promote')
      assert.equal(promotion.actor, 'operator')
      assert.equal(promotion.subject.reason, 'CHG-42 approved')
    })

    test('bad snapshots get their documented error and leave the store as it was', async (t) => {
      const h = await consoleHarness(t, kind, { bodyLimit: 64 * 1024 })
      const { credential } = await enrollAgent(h)
      const agent = { token: credential }
      const stored = push(1, [element('/etc/motd', 'hello\n')])
      assert.equal(
        (await h.call('POST', '/api/v1/agents/snapshots', { ...agent, body: stored })).status,
        200,
      )
      const before = await h.store.statistics()

      const cases: [string, { body?: unknown; raw?: string }, number, string][] = [
        ['malformed JSON', { raw: '{"identity": {' }, 400, 'DW_ERR_PAYLOAD_INVALID'],
        [
          'oversized',
          { body: push(2, [element('/etc/big', 'x'.repeat(100_000))]) },
          413,
          'DW_ERR_PAYLOAD_TOO_LARGE',
        ],
        [
          'attributes not JSON',
          { body: push(2, [{ key: 'file:/etc/a', attributes: '{nope' }]) },
          400,
          'DW_ERR_PAYLOAD_INVALID',
        ],
        [
          'a key twice',
          { body: push(2, [element('/etc/a', '1'), element('/etc/a', '2')]) },
          400,
          'DW_ERR_PAYLOAD_INVALID',
        ],
        ['unknown field', { body: { ...push(2, []), extra: 1 } }, 400, 'DW_ERR_PAYLOAD_INVALID'],
        [
          'replayed sequence',
          { body: push(1, [element('/etc/motd', 'changed\n')]) },
          409,
          'DW_ERR_SNAPSHOT_OUT_OF_ORDER',
        ],
        [
          'delta on a snapshot the console lacks',
          { body: push(3, [], 2) },
          409,
          'DW_ERR_SNAPSHOT_BASE_MISMATCH',
        ],
      ]
      for (const [name, request, status, code] of cases) {
        const response = await h.call('POST', '/api/v1/agents/snapshots', { ...agent, ...request })
        assert.equal(response.status, status, `${name}: ${JSON.stringify(response.body)}`)
        assert.equal(response.body.code, code, name)
      }
      const invalid = await h.call('POST', '/api/v1/agents/snapshots', {
        ...agent,
        body: push(2, [{ key: 'file:/etc/a', attributes: '[1]' }]),
      })
      assert.match(invalid.body.detail, /body\.snapshot\.elements\.0\.attributes/)
      assert.deepEqual(await h.store.statistics(), before)

      // The same snapshot sent again is acknowledged and counted once.
      const resent = await h.call('POST', '/api/v1/agents/snapshots', { ...agent, body: stored })
      assert.equal(resent.body.status, 'duplicate')
      assert.deepEqual(await h.store.statistics(), before)
    })

    test('a stolen agent credential reads nothing, and on another machine writes nothing', async (t) => {
      const h = await consoleHarness(t, kind)
      const { nodeId, credential } = await enrollAgent(h)
      assert.equal((await h.call('GET', '/api/v1/nodes', { token: credential })).status, 403)
      assert.equal(
        (await h.call('GET', `/api/v1/nodes/${nodeId}/elements`, { token: credential })).status,
        403,
      )
      const before = await h.store.statistics()
      const clone = {
        ...push(1, [element('/etc/motd', 'x\n')]),
        identity: { ...IDENTITY, productUuid: 'uuid-of-a-clone' },
      }
      const refused = await h.call('POST', '/api/v1/agents/snapshots', {
        token: credential,
        body: clone,
      })
      assert.equal(refused.status, 409)
      assert.equal(refused.body.code, 'DW_ERR_NODE_IDENTITY_MISMATCH')
      assert.deepEqual(await h.store.statistics(), before)
      const audit = await h.call('GET', '/api/v1/audit', { token: h.tokens.admin })
      assert.ok(audit.body.some((entry: any) => entry.action === 'node.identity-conflict'))
    })

    test('a template token enrolls every clone as its own node; a clone with the same identity is flagged', async (t) => {
      const h = await consoleHarness(t, kind)
      const template = await h.call('POST', '/api/v1/enrollment-tokens', {
        token: h.tokens.admin,
        body: { tags: ['template:web'], reusable: true },
      })
      for (const [name, uuid] of [
        ['clone-1', 'u-1'],
        ['clone-2', 'u-2'],
        ['clone-3', 'u-1'],
      ]) {
        const enrolled = await h.call('POST', '/api/v1/agents/enroll', {
          body: {
            token: template.body.token,
            name,
            identity: { hostname: name, productUuid: uuid },
          },
        })
        assert.equal(enrolled.status, 201)
      }
      const nodes = await h.call('GET', '/api/v1/nodes?tag=template:web', {
        token: h.tokens.auditor,
      })
      assert.deepEqual(
        nodes.body.map((n: any) => [n.name, n.status]),
        [
          ['clone-1', 'active'],
          ['clone-2', 'active'],
          ['clone-3', 'duplicate'],
        ],
      )
    })
  })
}

describe('gzip bodies', () => {
  test('a gzip body is accepted, and its limit is on what it decompresses to', async (t) => {
    const h = await consoleHarness(t, 'sqlite', { bodyLimit: 256 * 1024 })
    const { credential } = await enrollAgent(h)
    const send = (body: unknown): Promise<{ statusCode: number; body: string }> =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/agents/snapshots',
        headers: {
          authorization: `Bearer ${credential}`,
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        },
        payload: gzipSync(JSON.stringify(body)),
      })
    const small = await send(push(1, [element('/etc/motd', 'hello\n')]))
    assert.equal(small.statusCode, 200, small.body)
    // 1 MiB of one repeated letter: a few KiB compressed, four times the limit decompressed.
    const bomb = await send(push(2, [element('/etc/big', 'x'.repeat(1024 * 1024))]))
    assert.equal(bomb.statusCode, 413, bomb.body)
    assert.equal((await h.store.statistics()).snapshots, 1)
  })
})

describe('node and policy administration', () => {
  for (const kind of STORE_KINDS) {
    test(`on ${kind}: retiring a node stops its agent; loading other policies is audited once`, async (t) => {
      const h = await consoleHarness(t, kind)
      const { nodeId, credential } = await enrollAgent(h)
      const byOperator = await h.call('DELETE', `/api/v1/nodes/${nodeId}`, {
        token: h.tokens.operator,
      })
      assert.equal(byOperator.status, 403)
      assert.equal(
        (await h.call('DELETE', `/api/v1/nodes/${nodeId}`, { token: h.tokens.admin })).status,
        204,
      )
      const refused = await h.call('POST', '/api/v1/agents/snapshots', {
        token: credential,
        body: push(1, [element('/etc/motd', 'x\n')]),
      })
      assert.equal(refused.status, 401)
      const tokens = await h.call('GET', '/api/v1/enrollment-tokens', { token: h.tokens.admin })
      assert.equal(tokens.body[0].nodeId, nodeId)

      const baseline = await resolvePolicies(['debian-baseline'])
      const now = new Date().toISOString()
      assert.equal(await recordPolicyChange(h.store, baseline, now), true)
      assert.equal(await recordPolicyChange(h.store, baseline, now), false)
      assert.equal(
        await recordPolicyChange(h.store, await resolvePolicies(['kvm-host']), now),
        true,
      )
      const audit = await h.call('GET', '/api/v1/audit', { token: h.tokens.auditor })
      const loads = audit.body.filter((entry: any) => entry.action === 'policies.loaded')
      assert.deepEqual(
        loads.map((entry: any) => entry.subject.policies[0].id),
        ['debian-baseline', 'kvm-host'],
      )
      assert.ok(
        audit.body.some((entry: any) => entry.action === 'node.retire' && entry.actor === 'admin'),
      )
    })
  }
})

describe('elements in pages', () => {
  for (const kind of STORE_KINDS) {
    test(`on ${kind}: a node's elements come in key order, a page at a time, under a prefix`, async (t) => {
      const h = await consoleHarness(t, kind)
      const { nodeId, credential } = await enrollAgent(h)
      const files = ['a', 'b', 'c', 'd', 'e'].map((name) =>
        element(`/etc/${name}.conf`, `${name}\n`),
      )
      const stored = await h.call('POST', '/api/v1/agents/snapshots', {
        token: credential,
        body: push(1, [...files, OPENSSH]),
      })
      assert.equal(stored.status, 200)
      const read = (query: string) =>
        h.call('GET', `/api/v1/nodes/${nodeId}/elements?${query}`, { token: h.tokens.auditor })
      const first = await read('prefix=file:&limit=2')
      assert.deepEqual(
        first.body.elements.map((e: any) => e.key),
        ['file:/etc/a.conf', 'file:/etc/b.conf'],
      )
      assert.equal(first.body.elements[0].content, 'a\n')
      const second = await read(`prefix=file:&limit=2&after=${encodeURIComponent(first.body.next)}`)
      assert.deepEqual(
        second.body.elements.map((e: any) => e.key),
        ['file:/etc/c.conf', 'file:/etc/d.conf'],
      )
      const last = await read(`prefix=file:&limit=2&after=${encodeURIComponent(second.body.next)}`)
      assert.deepEqual(
        last.body.elements.map((e: any) => e.key),
        ['file:/etc/e.conf'],
      )
      assert.equal(last.body.next, undefined)
      const packages = await read('prefix=package:')
      assert.deepEqual(
        packages.body.elements.map((e: any) => e.key),
        ['package:openssh-server'],
      )
    })
  }
})

describe('waivers', () => {
  for (const kind of STORE_KINDS) {
    test(`on ${kind}: granting a waiver judges the fleet again at once; withdrawing it too`, async (t) => {
      const h = await consoleHarness(t, kind, { policies: ['debian-baseline'] })
      const { nodeId, credential } = await enrollAgent(h)
      const rootAllowed = element('/etc/ssh/sshd_config', 'PermitRootLogin yes\n')
      await h.call('POST', '/api/v1/agents/snapshots', {
        token: credential,
        body: push(1, [rootAllowed, OPENSSH, DEBIAN]),
      })
      const status = async (): Promise<string> =>
        (
          await h.call('GET', `/api/v1/results?node=${nodeId}&test=ssh-root-login-disabled`, {
            token: h.tokens.auditor,
          })
        ).body[0].status
      assert.equal(await status(), 'fail')
      const waiver = {
        tests: ['ssh-root-login-disabled'],
        nodes: ['web-*'],
        justification: 'break-glass access during the migration',
        approver: 'ciso',
        expires: '2099-12-31',
      }
      const byAuditor = await h.call('POST', '/api/v1/waivers', {
        token: h.tokens.auditor,
        body: waiver,
      })
      assert.equal(byAuditor.status, 403)
      const noExpiry = await h.call('POST', '/api/v1/waivers', {
        token: h.tokens.operator,
        body: { ...waiver, expires: undefined },
      })
      assert.equal(noExpiry.status, 400)
      assert.match(noExpiry.body.detail, /body\.expires/)
      const granted = await h.call('POST', '/api/v1/waivers', {
        token: h.tokens.operator,
        body: waiver,
      })
      assert.equal(granted.status, 201)
      await h.context.reevaluation.idle()
      assert.equal(await status(), 'waived')
      assert.equal(
        (await h.call('DELETE', `/api/v1/waivers/${granted.body.id}`, { token: h.tokens.admin }))
          .status,
        204,
      )
      await h.context.reevaluation.idle()
      assert.equal(await status(), 'fail')
    })
  }
})

describe('change tickets', () => {
  for (const kind of STORE_KINDS) {
    test(`on ${kind}: each change gets its verdict; a ticket approved later authorizes retroactively`, async (t) => {
      const h = await consoleHarness(t, kind)
      const { nodeId, credential } = await enrollAgent(h)
      const hour = 60 * 60 * 1000
      const window = {
        start: new Date(Date.now() - hour).toISOString(),
        end: new Date(Date.now() + hour).toISOString(),
      }
      const ticket = (id: string, state: string, elements: string[]) => ({
        id,
        title: `ticket ${id}`,
        state,
        ...(state === 'approved'
          ? { approver: 'carol', approvedAt: new Date(Date.now() - hour).toISOString() }
          : {}),
        window,
        scope: { nodes: ['name:web-*'], elements },
      })
      const save = (body: unknown, token = h.tokens.operator) =>
        h.call('PUT', '/api/v1/tickets', { token, body })
      assert.equal((await save(ticket('CHG-1', 'approved', ['file:/etc/nginx/**']))).status, 200)
      assert.equal((await save(ticket('CHG-2', 'rejected', ['file:/etc/passwd']))).status, 200)
      const byAuditor = await save(ticket('CHG-9', 'approved', ['file:/etc/**']), h.tokens.auditor)
      assert.equal(byAuditor.status, 403)
      const invalid = await save({
        id: 'CHG-3',
        title: 'x',
        state: 'approved',
        window,
        scope: { nodes: [], elements: [] },
      })
      assert.equal(invalid.status, 400)
      assert.match(invalid.body.detail, /approver|scope/)

      await h.call('POST', '/api/v1/agents/snapshots', {
        token: credential,
        body: push(1, [
          element('/etc/nginx/nginx.conf', 'tls off\n'),
          element('/etc/passwd', 'root:x:0:0\n'),
        ]),
      })
      await h.call('POST', '/api/v1/agents/snapshots', {
        token: credential,
        body: push(
          2,
          [
            element('/etc/nginx/nginx.conf', 'tls on\n'),
            element('/etc/passwd', 'root:x:0:0\nevil:x:0:0\n'),
          ],
          1,
        ),
      })
      const verdicts = async (): Promise<Record<string, any>> => {
        const changes = await h.call('GET', `/api/v1/changes?node=${nodeId}`, {
          token: h.tokens.auditor,
        })
        return Object.fromEntries(changes.body.map((c: any) => [c.key, c]))
      }
      const first = await verdicts()
      assert.equal(first['file:/etc/nginx/nginx.conf'].verdict, 'authorized')
      const stored = await h.call('GET', '/api/v1/tickets', { token: h.tokens.auditor })
      const chg1 = stored.body.find((t: any) => t.id === 'CHG-1')
      assert.equal(first['file:/etc/nginx/nginx.conf'].ticketId, chg1.storedId)
      assert.equal(first['file:/etc/passwd'].verdict, 'unauthorized')
      assert.match(first['file:/etc/passwd'].verdictReason, /CHG-2/)

      // A requested ticket covering it makes it pending; approving that ticket authorizes it.
      await save(ticket('CHG-4', 'requested', ['file:/etc/passwd']))
      assert.equal((await verdicts())['file:/etc/passwd'].verdict, 'pending')
      const approved = await save(ticket('CHG-4', 'approved', ['file:/etc/passwd']))
      assert.equal(approved.body.updated, 1)
      const last = await verdicts()
      assert.equal(last['file:/etc/passwd'].verdict, 'authorized')
      const audit = await h.call('GET', '/api/v1/audit', { token: h.tokens.auditor })
      const actions = audit.body.map((entry: any) => entry.action)
      assert.ok(actions.includes('ticket.update'))
      assert.equal(approved.body.retroactive.length, 1)
      const retroactive = audit.body.find(
        (entry: any) => entry.action === 'change.reconciled-retroactively',
      )
      assert.deepEqual(approved.body.retroactive, [last['file:/etc/passwd'].id])
      assert.deepEqual(retroactive.subject.changes, approved.body.retroactive)
      const tickets = await h.call('GET', '/api/v1/tickets?state=approved', {
        token: h.tokens.auditor,
      })
      assert.deepEqual(tickets.body.map((t: any) => t.id).sort(), ['CHG-1', 'CHG-4'])

      // Closing CHG-1 verifies it: what it changed, what it did not, what else changed on its nodes.
      await save({
        ...ticket('CHG-1', 'approved', ['file:/etc/nginx/**', 'package:nginx']),
        state: 'closed',
      })
      const report = await h.call('GET', '/api/v1/tickets/CHG-1/verification', {
        token: h.tokens.auditor,
      })
      assert.deepEqual(
        report.body.changed.map((c: any) => c.key),
        ['file:/etc/nginx/nginx.conf'],
      )
      assert.deepEqual(report.body.notChanged, ['package:nginx'])
      assert.deepEqual(
        report.body.outsideScope.map((c: any) => c.key),
        ['file:/etc/passwd'],
      )
      const verified = (
        await h.call('GET', '/api/v1/audit', { token: h.tokens.auditor })
      ).body.find((entry: any) => entry.action === 'ticket.verified')
      assert.deepEqual(verified.subject.notChanged, ['package:nginx'])
      const unknown = await h.call('GET', '/api/v1/tickets/NOPE/verification', {
        token: h.tokens.auditor,
      })
      assert.equal(unknown.status, 404)
    })
  }
})

describe('ticket import', () => {
  test('a CSV import saves the good rows and names each bad one by its line', async (t) => {
    const h = await consoleHarness(t, 'sqlite')
    const csv = [
      'ref,title,state,approver,approved_at,window_start,window_end,nodes,elements',
      'CHG1,nginx TLS,approved,carol,2026-11-26T09:00:00Z,2026-11-27T10:00:00Z,2026-11-27T12:00:00Z,web-*,file:/etc/nginx/**',
      'CHG2,bad window,approved,carol,2026-11-26T09:00:00Z,2026-11-27T12:00:00Z,2026-11-27T10:00:00Z,web-*,file:/etc/x',
      'CHG3,rejected one,rejected,,,2026-11-27T10:00:00Z,2026-11-27T12:00:00Z,tag:db,package:postgresql*',
    ].join('\n')
    const imported = await h.call('POST', '/api/v1/tickets/import', {
      token: h.tokens.operator,
      body: { format: 'csv', text: csv, name: 'changes.csv' },
    })
    assert.equal(imported.status, 200, JSON.stringify(imported.body))
    assert.equal(imported.body.created, 2)
    assert.equal(imported.body.problems.length, 1)
    assert.match(imported.body.problems[0], /changes\.csv:3/)
    const again = await h.call('POST', '/api/v1/tickets/import', {
      token: h.tokens.operator,
      body: { format: 'csv', text: csv, name: 'changes.csv' },
    })
    assert.equal(again.body.unchanged, 2)
    const listed = await h.call('GET', '/api/v1/tickets', { token: h.tokens.auditor })
    assert.deepEqual(
      listed.body.map((ticket: any) => [ticket.id, ticket.state, ticket.scope.nodes]),
      [
        ['CHG1', 'approved', ['name:web-*']],
        ['CHG3', 'rejected', ['tag:db']],
      ],
    )
  })
})

describe('auto-promote', () => {
  test('with auto-promote, an authorized change becomes the baseline citing its ticket; the rest stay open', async (t) => {
    const h = await consoleHarness(t, 'sqlite', { autoPromote: true })
    const { nodeId, credential } = await enrollAgent(h)
    const hour = 60 * 60 * 1000
    await h.call('PUT', '/api/v1/tickets', {
      token: h.tokens.operator,
      body: {
        id: 'CHG-7',
        title: 'rotate motd',
        state: 'approved',
        approver: 'carol',
        approvedAt: new Date(Date.now() - hour).toISOString(),
        window: {
          start: new Date(Date.now() - hour).toISOString(),
          end: new Date(Date.now() + hour).toISOString(),
        },
        scope: { nodes: ['name:web-*'], elements: ['file:/etc/motd'] },
      },
    })
    await h.call('POST', '/api/v1/agents/snapshots', {
      token: credential,
      body: push(1, [element('/etc/motd', 'a\n'), element('/etc/issue', 'b\n')]),
    })
    await h.call('POST', '/api/v1/agents/snapshots', {
      token: credential,
      body: push(2, [element('/etc/motd', 'new\n'), element('/etc/issue', 'changed\n')], 1),
    })
    const changes = await h.call('GET', `/api/v1/changes?node=${nodeId}`, {
      token: h.tokens.auditor,
    })
    const byKey = Object.fromEntries(changes.body.map((c: any) => [c.key, c]))
    assert.equal(byKey['file:/etc/motd'].status, 'promoted')
    assert.match(byKey['file:/etc/motd'].reason, /CHG-7/)
    assert.equal(byKey['file:/etc/issue'].status, 'open')
    assert.equal(byKey['file:/etc/issue'].verdict, 'unauthorized')
  })
})

describe('node tags and passwords', () => {
  for (const kind of STORE_KINDS) {
    test(`on ${kind}: operators set a node's tags (its groups follow); a password change ends the sessions`, async (t) => {
      const h = await consoleHarness(t, kind)
      const { nodeId } = await enrollAgent(h)
      const byAuditor = await h.call('PUT', `/api/v1/nodes/${nodeId}/tags`, {
        token: h.tokens.auditor,
        body: { tags: ['prod'] },
      })
      assert.equal(byAuditor.status, 403)
      const tagged = await h.call('PUT', `/api/v1/nodes/${nodeId}/tags`, {
        token: h.tokens.operator,
        body: { tags: ['prod', 'group:edge', 'prod'] },
      })
      assert.deepEqual(tagged.body.tags, ['group:edge', 'prod'])
      const bad = await h.call('PUT', `/api/v1/nodes/${nodeId}/tags`, {
        token: h.tokens.operator,
        body: { tags: ['no spaces'] },
      })
      assert.equal(bad.status, 400)
      // The refused tags changed nothing.
      const after = await h.call('GET', `/api/v1/nodes/${nodeId}`, { token: h.tokens.auditor })
      assert.deepEqual(after.body.tags, ['group:edge', 'prod'])
      const grouped = await h.call('GET', '/api/v1/nodes?tag=group:edge', {
        token: h.tokens.auditor,
      })
      assert.deepEqual(
        grouped.body.map((node: any) => node.id),
        [nodeId],
      )
      const ungrouped = await h.call('GET', '/api/v1/nodes?tag=group:other', {
        token: h.tokens.auditor,
      })
      assert.deepEqual(ungrouped.body, [])

      const wrong = await h.call('PUT', '/api/v1/password', {
        token: h.tokens.auditor,
        body: { current: 'not it', password: 'a brand new passphrase' },
      })
      assert.equal(wrong.status, 401)
      const changed = await h.call('PUT', '/api/v1/password', {
        token: h.tokens.auditor,
        body: { current: PASSWORD, password: 'a brand new passphrase' },
      })
      assert.equal(changed.status, 204)
      // The old session is gone; the new password works, the old one does not.
      assert.equal((await h.call('GET', '/api/v1/nodes', { token: h.tokens.auditor })).status, 401)
      const relogin = await h.call('POST', '/api/v1/login', {
        body: { name: 'auditor', password: 'a brand new passphrase' },
      })
      assert.equal(relogin.status, 200)
      const audit = await h.call('GET', '/api/v1/audit', { token: relogin.body.token })
      const actions = audit.body.map((entry: any) => entry.action)
      assert.ok(actions.includes('node.tags') && actions.includes('user.password'))
    })
  }
})
