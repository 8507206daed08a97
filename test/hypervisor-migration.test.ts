// A VM that moves between two libvirt hypervisors is one migration, on both of them, whichever
// is collected first — and a ticket for migrations authorizes both halves.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { consoleHarness, type Harness } from './support/console-harness.js'
import { STORE_KINDS } from './support/fleet-stores.js'
import { libvirtAvailable, startLibvirtDaemon } from './support/libvirt-daemon.js'
import { tempDir } from './support/temp-tree.js'
import { testDomainXml } from './support/test-domain.js'

const SKIP = libvirtAvailable()
  ? false
  : 'virsh or libvirtd is not installed (scripts/ensure-libvirt.sh)'
const HOUR = 3_600_000
const at = (offset: number): string => new Date(Date.now() + offset).toISOString()
const UUID = '55555555-0000-0000-0000-0000000000e1'

async function changesOn(h: Harness, hypervisor: string): Promise<any[]> {
  const nodes = (await h.call('GET', '/api/v1/nodes?kind=vm', { token: h.tokens.auditor })).body
  const hypervisors = (await h.call('GET', '/api/v1/hypervisors', { token: h.tokens.auditor })).body
  const parent = hypervisors.find((candidate: any) => candidate.name === hypervisor).nodeId
  const node = nodes.find(
    (candidate: any) => candidate.parentId === parent && candidate.name === 'mover',
  )
  return (await h.call('GET', `/api/v1/changes?node=${node.id}`, { token: h.tokens.auditor })).body
}

describe('VM migration between hypervisors', { skip: SKIP }, () => {
  for (const kind of STORE_KINDS) {
    test(`on ${kind}: arrival and departure are both "migrated", in either order of collection`, async (t) => {
      const dir = tempDir(t)
      const [a, b] = [
        await startLibvirtDaemon(join(dir, 'a')),
        await startLibvirtDaemon(join(dir, 'b')),
      ]
      t.after(async () => {
        await a.stop()
        await b.stop()
      })
      const definition = join(dir, 'mover.xml')
      writeFileSync(definition, testDomainXml({ name: 'mover', uuid: UUID, memoryMib: 256 }))
      a.virsh('define', definition)
      const h = await consoleHarness(t, kind)
      const add = async (name: string, uri: string): Promise<number> =>
        (
          await h.call('POST', '/api/v1/hypervisors', {
            token: h.tokens.admin,
            body: { spec: `libvirt:${uri}`, name },
          })
        ).body.id
      const idA = await add('kvm-a', a.uri)
      const idB = await add('kvm-b', b.uri)
      const collect = async (id: number): Promise<void> => {
        const answer = await h.call('POST', `/api/v1/hypervisors/${id}/collect`, {
          token: h.tokens.operator,
        })
        assert.equal(answer.status, 200, JSON.stringify(answer.body))
      }
      await collect(idA)
      await collect(idB)
      const ticket = {
        id: 'CHG-40',
        title: 'rebalance the KVM hosts',
        state: 'approved',
        approver: 'carol',
        approvedAt: at(-HOUR),
        window: { start: at(-HOUR), end: at(HOUR) },
        scope: { nodes: ['name:mover'], elements: ['vm:*', 'vm-config:*'], verbs: ['migrated'] },
      }
      assert.equal(
        (await h.call('PUT', '/api/v1/tickets', { token: h.tokens.operator, body: ticket })).status,
        200,
      )
      const summary = (changes: any[]) =>
        changes.map((c) => `${c.kind} ${c.key.split(':')[0]} ${c.lifecycle} ${c.verdict}`)

      // A → B, the arrival collected first.
      a.virsh('undefine', 'mover')
      b.virsh('define', definition)
      await collect(idB)
      await collect(idA)
      assert.deepEqual(summary(await changesOn(h, 'kvm-b')), [
        'added vm-config migrated authorized',
        'added vm migrated authorized',
      ])
      assert.deepEqual(summary(await changesOn(h, 'kvm-a')), [
        'removed vm-config migrated authorized',
        'removed vm migrated authorized',
      ])

      // B → A, the departure collected first: told a deletion, then corrected by the arrival.
      b.virsh('undefine', 'mover')
      a.virsh('define', definition)
      await collect(idB)
      assert.deepEqual(summary(await changesOn(h, 'kvm-b')).slice(2), [
        'removed vm-config deleted unauthorized',
        'removed vm deleted unauthorized',
      ])
      await collect(idA)
      assert.deepEqual(summary(await changesOn(h, 'kvm-b')).slice(2), [
        'removed vm-config migrated authorized',
        'removed vm migrated authorized',
      ])
      assert.deepEqual(summary(await changesOn(h, 'kvm-a')).slice(2), [
        'added vm-config migrated authorized',
        'added vm migrated authorized',
      ])
    })
  }
})
