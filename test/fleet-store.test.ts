// The fleet store on SQLite and PostgreSQL alike: enrollment, snapshots stored once and diffed
// against the baseline, resends that write nothing, promotion, and the audit chain.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { verifyAuditChain } from '../src/model/index.js'
import type { FleetStore, IncomingElement, IncomingSnapshot } from '../src/store/index.js'
import { sha } from './support/agent-pushes.js'
import { freshStore, STORE_KINDS } from './support/fleet-stores.js'

const NOW = '2026-11-27T10:00:00.000Z'
const LATER = '2026-11-27T11:00:00.000Z'

function file(path: string, mode: string, content?: string): IncomingElement {
  return {
    key: `file:${path}`,
    attributes: JSON.stringify({ type: 'file', mode, sha256: sha(content ?? path) }),
    ...(content === undefined ? {} : { content }),
  }
}

function whole(sequence: number, elements: IncomingElement[]): IncomingSnapshot {
  return {
    uuid: `snap-${sequence}-${elements.length}`,
    sequence,
    base: null,
    takenAt: NOW,
    elements,
    removed: [],
    uncertain: [],
    notChecked: [],
  }
}

async function enrolled(store: FleetStore, name: string, productUuid: string): Promise<number> {
  await store.createEnrollmentToken({
    tokenHash: `token-${name}`,
    tags: ['web'],
    reusable: false,
    createdBy: 'admin',
    expiresAt: '2027-01-01T00:00:00.000Z',
    now: NOW,
  })
  const node = await store.enrollNode({
    tokenHash: `token-${name}`,
    credentialHash: `credential-${name}`,
    name,
    kind: 'host',
    identity: { hostname: name, productUuid },
    now: NOW,
  })
  assert.ok(node)
  return node.id
}

const BUILD = [
  file('/etc/motd', '0644', 'welcome\n'),
  file('/etc/ssh/sshd_config', '0644', 'PermitRootLogin no\n'),
  file('/usr/bin/ls', '0755'),
]

for (const kind of STORE_KINDS) {
  describe(`fleet store on ${kind}`, () => {
    test('a one-time token enrolls one node; a reused or expired token enrolls none', async (t) => {
      const store = await freshStore(t, kind)
      const id = await enrolled(store, 'web-01', 'uuid-1')
      assert.deepEqual((await store.node(id))?.tags, ['web'])
      const again = await store.enrollNode({
        tokenHash: 'token-web-01',
        credentialHash: 'credential-other',
        name: 'intruder',
        kind: 'host',
        identity: { hostname: 'intruder', productUuid: 'uuid-9' },
        now: LATER,
      })
      assert.equal(again, undefined)
      await store.createEnrollmentToken({
        tokenHash: 'old',
        tags: [],
        reusable: true,
        createdBy: 'admin',
        expiresAt: NOW,
        now: NOW,
      })
      const expired = await store.enrollNode({
        tokenHash: 'old',
        credentialHash: 'c2',
        name: 'late',
        kind: 'host',
        identity: { hostname: 'late' },
        now: LATER,
      })
      assert.equal(expired, undefined)
      assert.equal((await store.listNodes({})).length, 1)
    })

    test('a clone that enrolls with its template identity is stored as a duplicate, not merged', async (t) => {
      const store = await freshStore(t, kind)
      const template = await enrolled(store, 'template', 'UUID-T')
      const clone = await enrolled(store, 'clone', 'uuid-t')
      const node = await store.node(clone)
      assert.equal(node?.status, 'duplicate')
      assert.equal(node?.duplicateOf, template)
      assert.deepEqual(
        (await store.listNodes({ status: 'duplicate' })).map((n) => n.name),
        ['clone'],
      )
      const actions = (await store.auditEntries({})).map((entry) => entry.action)
      assert.ok(actions.includes('node.duplicate-identity'))
    })

    test('the first snapshot is the baseline; later ones record added, modified and removed elements', async (t) => {
      const store = await freshStore(t, kind)
      const id = await enrolled(store, 'web-01', 'uuid-1')
      const first = await store.ingestSnapshot(id, whole(1, BUILD), NOW)
      assert.equal(first.baseline, true)
      assert.equal(first.changes, 0)
      assert.deepEqual(await store.listChanges({ nodeId: id }), [])

      const delta: IncomingSnapshot = {
        uuid: 'delta-2',
        sequence: 2,
        base: 1,
        takenAt: LATER,
        elements: [
          file('/etc/motd', '0644', 'hacked\n'),
          file('/etc/cron.d/evil', '0644', '* * * * * root sh\n'),
        ],
        removed: ['file:/usr/bin/ls'],
        uncertain: [],
        notChecked: [],
      }
      const second = await store.ingestSnapshot(id, delta, LATER)
      assert.equal(second.changes, 3)
      const changes = await store.listChanges({ nodeId: id, status: 'open' })
      assert.deepEqual(changes.map((c) => `${c.kind} ${c.key}`).sort(), [
        'added file:/etc/cron.d/evil',
        'modified file:/etc/motd',
        'removed file:/usr/bin/ls',
      ])
      const motd = changes.find((c) => c.key === 'file:/etc/motd')
      assert.match(motd?.before ?? '', new RegExp(sha('welcome\n')))
      assert.match(motd?.after ?? '', new RegExp(sha('hacked\n')))

      const elements = await store.currentElements(id)
      assert.deepEqual([...elements.keys()].sort(), [
        'file:/etc/cron.d/evil',
        'file:/etc/motd',
        'file:/etc/ssh/sshd_config',
      ])
      assert.equal(elements.get('file:/etc/motd')?.content, 'hacked\n')
      const versions = await store.elementVersions(id, 'file:/etc/motd')
      assert.deepEqual(
        versions.map((version) => [version.fromSnapshot, version.toSnapshot]),
        [
          [first.snapshotId, second.snapshotId],
          [second.snapshotId, null],
        ],
      )
    })

    test('a resent snapshot writes nothing; an older or mismatched one is refused', async (t) => {
      const store = await freshStore(t, kind)
      const id = await enrolled(store, 'web-01', 'uuid-1')
      await store.ingestSnapshot(id, whole(1, BUILD), NOW)
      const changed = whole(2, [file('/etc/motd', '0600', 'welcome\n'), ...BUILD.slice(1)])
      const stored = await store.ingestSnapshot(id, changed, LATER)
      const before = await store.statistics()
      const resent = await store.ingestSnapshot(id, changed, LATER)
      assert.equal(resent.status, 'duplicate')
      assert.equal(resent.snapshotId, stored.snapshotId)
      assert.deepEqual(await store.statistics(), before)
      await assert.rejects(store.ingestSnapshot(id, { ...whole(2, BUILD), uuid: 'other' }, LATER), {
        code: 'DW_ERR_SNAPSHOT_OUT_OF_ORDER',
      })
      await assert.rejects(store.ingestSnapshot(id, { ...whole(5, BUILD), base: 3 }, LATER), {
        code: 'DW_ERR_SNAPSHOT_BASE_MISMATCH',
      })
      assert.deepEqual(await store.statistics(), before)
    })

    test('clones share element states: a second node of one build adds versions, not states', async (t) => {
      const store = await freshStore(t, kind)
      const a = await enrolled(store, 'web-01', 'uuid-1')
      const b = await enrolled(store, 'web-02', 'uuid-2')
      await store.ingestSnapshot(a, whole(1, BUILD), NOW)
      const afterOne = await store.statistics()
      await store.ingestSnapshot(b, whole(1, BUILD), NOW)
      const afterTwo = await store.statistics()
      assert.equal(afterTwo.elementStates, afterOne.elementStates)
      assert.equal(afterTwo.contents, afterOne.contents)
      assert.equal(afterTwo.elementKeys, afterOne.elementKeys)
      assert.equal(afterTwo.elementVersions, afterOne.elementVersions + BUILD.length)
    })

    test('promoting makes the current state the baseline; returning to the baseline restores', async (t) => {
      const store = await freshStore(t, kind)
      const id = await enrolled(store, 'web-01', 'uuid-1')
      await store.ingestSnapshot(id, whole(1, BUILD), NOW)
      const edited = [
        file('/etc/motd', '0644', 'v2\n'),
        file('/etc/ssh/sshd_config', '0644', 'PermitRootLogin yes\n'),
        BUILD[2] as IncomingElement,
      ]
      await store.ingestSnapshot(id, whole(2, edited), LATER)
      const { promoted } = await store.promote({
        nodeId: id,
        keys: ['file:/etc/motd'],
        actor: 'alice',
        reason: 'CHG-7',
        now: LATER,
      })
      assert.deepEqual(promoted, ['file:/etc/motd'])
      const open = await store.listChanges({ nodeId: id, status: 'open' })
      assert.deepEqual(
        open.map((c) => c.key),
        ['file:/etc/ssh/sshd_config'],
      )
      const done = await store.listChanges({ nodeId: id, status: 'promoted' })
      assert.equal(done[0]?.resolvedBy, 'alice')
      assert.equal(done[0]?.reason, 'CHG-7')

      // sshd_config edited back to what the baseline holds: its change closes by itself.
      await store.ingestSnapshot(
        id,
        whole(3, [edited[0] as IncomingElement, ...BUILD.slice(1)]),
        LATER,
      )
      assert.deepEqual(await store.listChanges({ nodeId: id, status: 'open' }), [])
      // And motd's promoted state is the baseline now: the rescan found no change in it.
      const motdChanges = (await store.listChanges({ nodeId: id })).filter(
        (c) => c.key === 'file:/etc/motd',
      )
      assert.equal(motdChanges.length, 1)
    })

    test('results keep the date a test first failed across evaluations', async (t) => {
      const store = await freshStore(t, kind)
      const id = await enrolled(store, 'web-01', 'uuid-1')
      const snapshot = await store.ingestSnapshot(id, whole(1, BUILD), NOW)
      const failing = [
        { policy: 'p', test: 't1', status: 'fail', severity: 'high', detail: { actual: 'yes' } },
      ]
      await store.recordResults(id, snapshot.snapshotId, failing, NOW)
      await store.recordResults(id, snapshot.snapshotId, failing, LATER)
      const [result] = await store.listResults({ nodeId: id })
      assert.equal(result?.firstFailed, NOW)
      assert.equal(result?.detail['actual'], 'yes')
      assert.equal(await store.evaluatedSnapshot(id), snapshot.snapshotId)
    })

    test('the audit log is a hash chain that shows an edited entry', async (t) => {
      const store = await freshStore(t, kind)
      await enrolled(store, 'web-01', 'uuid-1')
      await store.audit({ actor: 'alice', action: 'login', subject: { ip: '127.0.0.1' } }, LATER)
      const entries = await store.auditEntries({})
      assert.equal(entries.length, 3)
      const chained = entries.map((entry) => ({ ...entry, subject: JSON.stringify(entry.subject) }))
      assert.equal(verifyAuditChain(chained), undefined)
      const edited = chained.map((entry) =>
        entry.id === 2 ? { ...entry, actor: 'mallory' } : entry,
      )
      assert.deepEqual(verifyAuditChain(edited), { id: 2, problem: 'edited' })
      assert.deepEqual(verifyAuditChain(chained.filter((entry) => entry.id !== 2)), {
        id: 2,
        problem: 'missing',
        lastMissing: 2,
      })
    })
  })
}

for (const kind of STORE_KINDS) {
  describe(`tickets and verdicts on ${kind}`, () => {
    test('a ticket saved again unchanged writes nothing; a new state is audited', async (t) => {
      const store = await freshStore(t, kind)
      const ticket = {
        externalRef: 'CHG0030001',
        source: 'servicenow',
        state: 'requested',
        windowStart: '2026-11-27T09:00:00.000Z',
        windowEnd: '2026-11-27T12:00:00.000Z',
        document: {
          title: 'nginx TLS settings',
          scope: { nodes: ['web-*'], elements: ['file:/etc/nginx/**'] },
        },
      }
      const created = await store.saveTicket(ticket, 'poller:servicenow', NOW)
      assert.equal(created.outcome, 'created')
      assert.equal(
        (await store.saveTicket(ticket, 'poller:servicenow', LATER)).outcome,
        'unchanged',
      )
      const approved = await store.saveTicket(
        { ...ticket, state: 'approved' },
        'poller:servicenow',
        LATER,
      )
      assert.deepEqual(approved, { id: created.id, outcome: 'updated' })
      const [stored] = await store.listTickets({ states: ['approved'], openAt: NOW })
      assert.equal(stored?.externalRef, 'CHG0030001')
      assert.deepEqual(
        await store.listTickets({ states: ['approved'], openAt: '2026-11-28T00:00:00.000Z' }),
        [],
      )
      const audit = (await store.auditEntries({})).filter((entry) =>
        entry.action.startsWith('ticket.'),
      )
      assert.deepEqual(
        audit.map((entry) => [
          entry.action,
          entry.subject['state'],
          entry.subject['previousState'] ?? null,
        ]),
        [
          ['ticket.create', 'requested', null],
          ['ticket.update', 'approved', 'requested'],
        ],
      )
    })

    test('nodes are found by a tag exactly, whatever characters it holds', async (t) => {
      const store = await freshStore(t, kind)
      const tagged = ['web_1', 'webx1', 'a"b\\c', '100%']
      for (const [index, tag] of tagged.entries()) {
        const id = await enrolled(store, `n-${index}`, `uuid-${index}`)
        assert.ok(await store.setNodeTags(id, [tag, 'all'], 'admin', NOW))
      }
      for (const tag of tagged)
        assert.deepEqual(
          (await store.listNodes({ tag })).map((node) => node.tags[0]),
          [tag],
          tag,
        )
      assert.equal((await store.listNodes({ tag: 'all' })).length, 4)
      assert.deepEqual(await store.listNodes({ tag: 'web' }), [])
    })

    test("a collector's status keeps the problems it is given, the newest 50", async (t) => {
      const store = await freshStore(t, kind)
      const lease = { endpoint: 'e', holder: 'me', now: NOW, until: LATER }
      const poll = (problems: string[]) => ({
        ok: true as const,
        holder: 'me',
        endpoint: 'e',
        at: NOW,
        nextPollAt: LATER,
        leasedUntil: LATER,
        ticketsRead: 1,
        problems,
      })
      const problemsOf = async (name: string) =>
        (await store.pollerStatuses()).find((status) => status.name === name)?.problems
      assert.ok(await store.leasePoller({ name: 'hypervisor:1', ...lease }))
      await store.savePollerCursor('hypervisor:1', null, poll(['domain:x: vanished']))
      await store.savePollerCursor('hypervisor:1', null, poll(['domain:x: vanished']))
      assert.deepEqual(await problemsOf('hypervisor:1'), ['domain:x: vanished'])
      const many = Array.from({ length: 60 }, (_, index) => `row ${index}: bad`)
      await store.savePollerCursor('hypervisor:1', null, poll(many))
      assert.deepEqual(await problemsOf('hypervisor:1'), many.slice(-50))
      await store.savePollerCursor('hypervisor:1', null, poll([]))
      assert.deepEqual(await problemsOf('hypervisor:1'), [])
    })

    test("the tickets' version moves with every write that changes what tickets authorize, even within one millisecond", async (t) => {
      const store = await freshStore(t, kind)
      const ticket = {
        externalRef: 'CHG-1',
        source: 'api',
        state: 'approved',
        windowStart: NOW,
        windowEnd: LATER,
        document: { title: 'x' },
      }
      const versions = [await store.ticketsVersion()]
      const { id } = await store.saveTicket(ticket, 'alice', NOW)
      versions.push(await store.ticketsVersion())
      // Same instant, another state: a count and a newest time would not tell.
      await store.saveTicket({ ...ticket, state: 'closed' }, 'alice', NOW)
      versions.push(await store.ticketsVersion())
      await store.saveTicket({ ...ticket, state: 'closed' }, 'alice', NOW)
      assert.equal(await store.ticketsVersion(), versions.at(-1), 'an unchanged save moves nothing')
      const window = await store.createMaintenanceWindow(
        {
          ticketId: id,
          name: 'w',
          nodes: ['group:web'],
          elements: ['package:*'],
          startsAt: NOW,
          endsAt: LATER,
        },
        'alice',
        NOW,
      )
      versions.push(await store.ticketsVersion())
      await store.endMaintenanceWindow(window.id, 'alice', NOW)
      versions.push(await store.ticketsVersion())
      assert.equal(new Set(versions).size, versions.length, versions.join(' '))
    })

    test('a change authorized after it was judged unauthorized is audited as retroactive', async (t) => {
      const store = await freshStore(t, kind)
      const id = await enrolled(store, 'web-01', 'uuid-1')
      await store.ingestSnapshot(id, whole(1, BUILD), NOW)
      await store.ingestSnapshot(
        id,
        whole(2, [file('/etc/motd', '0600', 'x\n'), ...BUILD.slice(1)]),
        LATER,
      )
      const [change] = await store.listChanges({ nodeId: id })
      assert.ok(change)
      assert.equal(change.verdict, null)
      const ticket = await store.saveTicket(
        {
          externalRef: 'OPS-12',
          source: 'jira',
          state: 'approved',
          windowStart: null,
          windowEnd: null,
          document: {},
        },
        'poller:jira',
        LATER,
      )
      await store.recordVerdicts(
        [{ changeId: change.id, verdict: 'unauthorized', ticketId: null, reason: 'no ticket' }],
        'driftwatch',
        LATER,
      )
      const again = await store.recordVerdicts(
        [{ changeId: change.id, verdict: 'authorized', ticketId: ticket.id, reason: 'OPS-12' }],
        'driftwatch',
        LATER,
      )
      assert.deepEqual(again, { changed: 1, retroactive: [change.id] })
      const [judged] = await store.listChanges({ nodeId: id })
      assert.equal(judged?.verdict, 'authorized')
      assert.equal(judged?.ticketId, ticket.id)
      const entry = (await store.auditEntries({})).find(
        (e) => e.action === 'change.reconciled-retroactively',
      )
      assert.deepEqual(entry?.subject, { changes: [change.id], tickets: [ticket.id] })
      // The same verdict again changes nothing.
      assert.deepEqual(
        await store.recordVerdicts(
          [{ changeId: change.id, verdict: 'authorized', ticketId: ticket.id, reason: 'OPS-12' }],
          'driftwatch',
          LATER,
        ),
        { changed: 0, retroactive: [] },
      )
    })
  })
}
