// The console collecting a real libvirtd (test driver) that a second virsh changes: VMs become
// nodes, their creation, start and deletion are changes with lifecycle verbs, reconciled with
// tickets (one limited to `created` on `vm:web-*`); `GET /api/v1/vms` tells which VMs no agent
// watches; an unreachable hypervisor changes nothing.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { enrollAgent } from './support/agent-pushes.js'
import { consoleHarness, type Harness } from './support/console-harness.js'
import { STORE_KINDS } from './support/fleet-stores.js'
import { libvirtAvailable, startLibvirtDaemon } from './support/libvirt-daemon.js'
import { tempDir } from './support/temp-tree.js'
import { testDomainXml, testNic } from './support/test-domain.js'

const SKIP = libvirtAvailable()
  ? false
  : 'virsh or libvirtd is not installed (scripts/ensure-libvirt.sh installs them)'
const HOUR = 3_600_000
const at = (offset: number): string => new Date(Date.now() + offset).toISOString()
const WEB_UUID = '22222222-0000-0000-0000-0000000000a1'
const DB_UUID = '22222222-0000-0000-0000-0000000000b1'
const APP_UUID = '22222222-0000-0000-0000-0000000000c1'

function domain(dir: string, name: string, uuid: string, mac: string): string {
  const path = join(dir, `${name}.xml`)
  writeFileSync(path, testDomainXml({ name, uuid, devices: testNic(mac) }))
  return path
}

async function vmChanges(h: Harness, name: string): Promise<any[]> {
  const nodes = await h.call('GET', '/api/v1/nodes?kind=vm', { token: h.tokens.auditor })
  const node = nodes.body.find((candidate: any) => candidate.name === name)
  assert.ok(node, `no VM node ${name} in ${JSON.stringify(nodes.body.map((n: any) => n.name))}`)
  const changes = await h.call('GET', `/api/v1/changes?node=${node.id}`, {
    token: h.tokens.auditor,
  })
  return changes.body
}

describe('hypervisors collected by the console', { skip: SKIP }, () => {
  for (const kind of STORE_KINDS) {
    test(`on ${kind}: VM lifecycle as change, reconciled with tickets; unmonitored VMs; nothing deleted when unreachable`, async (t) => {
      const dir = tempDir(t)
      const daemon = await startLibvirtDaemon(dir)
      t.after(() => daemon.stop())
      const h = await consoleHarness(t, kind)
      const collect = (id: number) =>
        h.call('POST', `/api/v1/hypervisors/${id}/collect`, { token: h.tokens.operator })

      const withPassword = await h.call('POST', '/api/v1/hypervisors', {
        token: h.tokens.admin,
        body: { spec: 'vsphere:https://root:secret@vcenter.example/sdk' },
      })
      assert.equal(withPassword.status, 400)
      assert.match(withPassword.body.detail, /body\.spec: holds a password/)
      const byOperator = await h.call('POST', '/api/v1/hypervisors', {
        token: h.tokens.operator,
        body: { spec: `libvirt:${daemon.uri}` },
      })
      assert.equal(byOperator.status, 403)
      const added = await h.call('POST', '/api/v1/hypervisors', {
        token: h.tokens.admin,
        body: { spec: `libvirt:${daemon.uri}`, name: 'kvm-01', intervalSeconds: 300 },
      })
      assert.equal(added.status, 201, JSON.stringify(added.body))
      const id = added.body.id

      // The first inventory is the baseline: the driver's own `test` domain is no change.
      const first = await collect(id)
      assert.equal(first.status, 200, JSON.stringify(first.body))
      assert.deepEqual(await vmChanges(h, 'test'), [])
      // Its collection status is a hypervisor's, not a ticket system's.
      const sources = await h.call('GET', '/api/v1/tickets/sources', { token: h.tokens.auditor })
      assert.deepEqual(sources.body, [])

      const ticket = {
        id: 'CHG-30',
        title: 'new web VM',
        state: 'approved',
        approver: 'carol',
        approvedAt: at(-HOUR),
        window: { start: at(-HOUR), end: at(HOUR) },
        scope: { nodes: ['name:web-*'], elements: ['vm:web-*', 'vm-config:*'], verbs: ['created'] },
      }
      assert.equal(
        (await h.call('PUT', '/api/v1/tickets', { token: h.tokens.operator, body: ticket })).status,
        200,
      )
      daemon.virsh('define', domain(dir, 'web-01', WEB_UUID, '52:54:00:00:00:a1'))
      daemon.virsh('define', domain(dir, 'db-01', DB_UUID, '52:54:00:00:00:b1'))
      const second = await collect(id)
      assert.equal(second.body.appeared, 2)
      const web = await vmChanges(h, 'web-01')
      assert.deepEqual(
        web.map((c) => [c.kind, c.key.replace(WEB_UUID, 'UUID'), c.lifecycle, c.verdict]),
        [
          ['added', 'vm-config:UUID', ['created'], 'authorized'],
          ['added', 'vm:web-01', ['created'], 'authorized'],
        ],
      )
      const db = await vmChanges(h, 'db-01')
      assert.deepEqual(
        db.map((c) => [c.key, c.lifecycle, c.verdict]),
        [
          [`vm-config:${DB_UUID}`, ['created'], 'unauthorized'],
          ['vm:db-01', ['created'], 'unauthorized'],
        ],
      )
      assert.match(db[1].verdictReason, /no ticket covers node db-01/)

      // Starting web-01 is not what CHG-30 (created only) authorized.
      daemon.virsh('start', 'web-01')
      await collect(id)
      const started = (await vmChanges(h, 'web-01')).at(-1)
      assert.equal(started.key, 'vm:web-01')
      assert.deepEqual(started.lifecycle, ['started'])
      assert.equal(started.verdict, 'unauthorized')
      assert.match(
        started.verdictReason,
        /the ticket authorizes created, and vm:web-01 was started/,
      )

      // A ticket for the start, saved late and ending now: the start is authorized
      // retroactively, and once the window is over web-01 runs on after its ticket.
      const ends = Date.now() + 1500
      const late = {
        ...ticket,
        id: 'CHG-31',
        title: 'start web VMs for the test',
        window: { start: at(-HOUR), end: new Date(ends).toISOString() },
        scope: { ...ticket.scope, verbs: ['started'] },
      }
      const saved = await h.call('PUT', '/api/v1/tickets', { token: h.tokens.operator, body: late })
      assert.equal(saved.body.retroactive.length, 1)
      await new Promise((resolve) => setTimeout(resolve, ends - Date.now() + 50))
      const after = await h.call('GET', '/api/v1/vms', { token: h.tokens.auditor })
      assert.deepEqual(after.body.find((vm: any) => vm.name === 'web-01').runningAfterTicket, {
        ticket: 'CHG-31',
        ended: late.window.end,
      })

      // A maintenance window (of CHG-30) that ends now authorizes app-01's start retroactively;
      // once it has ended, app-01 runs on after the window, which the list names.
      daemon.virsh('define', domain(dir, 'app-01', APP_UUID, '52:54:00:00:00:c1'))
      await collect(id)
      daemon.virsh('start', 'app-01')
      await collect(id)
      const windowEnds = Date.now() + 1500
      const opened = await h.call('POST', '/api/v1/maintenance-windows', {
        token: h.tokens.operator,
        body: {
          ticket: 'CHG-30',
          name: 'app restarts',
          nodes: ['name:app-*'],
          elements: ['vm:app-*'],
          start: at(-HOUR),
          end: new Date(windowEnds).toISOString(),
        },
      })
      assert.equal(opened.status, 201, JSON.stringify(opened.body))
      assert.equal((await vmChanges(h, 'app-01')).at(-1).verdict, 'authorized')
      await new Promise((resolve) => setTimeout(resolve, windowEnds - Date.now() + 50))
      const app = (await h.call('GET', '/api/v1/vms', { token: h.tokens.auditor })).body.find(
        (vm: any) => vm.name === 'app-01',
      )
      assert.deepEqual(app.runningAfterTicket, {
        ticket: `CHG-30/window-${opened.body.id}`,
        ended: opened.body.end,
      })

      // An agent inside web-01 (its product UUID): monitored. db-01 and test: no one watches.
      await enrollAgent(h, {
        hostname: 'web-01',
        machineId: 'm-web',
        productUuid: WEB_UUID.toUpperCase(),
      })
      const unmonitored = await h.call('GET', '/api/v1/vms?monitored=false', {
        token: h.tokens.auditor,
      })
      assert.deepEqual(
        unmonitored.body.map((vm: any) => vm.name),
        ['app-01', 'db-01', 'test'],
      )
      const vms = await h.call('GET', '/api/v1/vms', { token: h.tokens.auditor })
      const webVm = vms.body.find((vm: any) => vm.name === 'web-01')
      assert.equal(webVm.monitored, true)
      assert.equal(webVm.state, 'running')
      assert.equal(webVm.hypervisor, 'kvm-01')
      assert.equal(webVm.hasOwner, false)
      assert.equal(webVm.lastChange.verdict, 'authorized')

      // Deleted: a whole inventory no longer lists it.
      daemon.virsh('undefine', 'db-01')
      await collect(id)
      const gone = (await vmChanges(h, 'db-01')).filter((c) => c.kind === 'removed')
      assert.deepEqual(
        gone.map((c) => [c.key, c.lifecycle]),
        [
          [`vm-config:${DB_UUID}`, ['deleted']],
          ['vm:db-01', ['deleted']],
        ],
      )
      assert.equal(
        (await h.call('GET', '/api/v1/vms', { token: h.tokens.auditor })).body.find(
          (vm: any) => vm.name === 'db-01',
        ).state,
        'deleted',
      )

      // Unreachable: a 502 naming the hypervisor, recorded, and no VM taken as deleted.
      await daemon.stop()
      const failed = await collect(id)
      assert.equal(failed.status, 502)
      assert.equal(failed.body.code, 'DW_ERR_HYPERVISOR_UNREACHABLE')
      assert.equal((await vmChanges(h, 'web-01')).filter((c) => c.kind === 'removed').length, 0)
      const listed = await h.call('GET', '/api/v1/hypervisors', { token: h.tokens.auditor })
      assert.equal(listed.body[0].failures, 1)
      assert.match(listed.body[0].lastError, /test\+unix/)
      const stillRunning = (await h.call('GET', '/api/v1/vms', { token: h.tokens.auditor })).body
      assert.equal(stillRunning.find((vm: any) => vm.name === 'web-01').state, 'running')
    })
  }
})
