// Evidence export on SQLite and PostgreSQL: the signed files list exactly the changes of the
// range with their verdicts, tickets and corrective actions; `evidence verify` passes on the
// export and fails on one edited byte, a deleted or added file, or an edited manifest.
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test, type TestContext } from 'node:test'
import { buildConsoleApp } from '../src/console/index.js'
import { hashPassword } from '../src/console/passwords.js'
import { evidenceKey } from '../src/report/evidence/index.js'
import type { FleetStore, IncomingElement, IncomingSnapshot } from '../src/store/index.js'
import { openFleetStore } from '../src/store/open-fleet-store.js'
import { sha } from './support/agent-pushes.js'
import { PASSWORD, testConsoleContext } from './support/console-harness.js'
import { freshDatabase, STORE_KINDS, type StoreKind } from './support/fleet-stores.js'
import { driftwatch } from './support/run-cli.js'
import { tempDir } from './support/temp-tree.js'

const BASELINE_AT = '2026-11-01T08:00:00.000Z'
const CHANGED_AT = '2026-11-02T10:00:00.000Z'
const PROMOTED_AT = '2026-11-02T12:00:00.000Z'
const FROM = '2026-11-02T00:00:00.000Z'
const TO = '2026-11-03T00:00:00.000Z'

function file(path: string, content: string): IncomingElement {
  return {
    key: `file:${path}`,
    attributes: JSON.stringify({ type: 'file', mode: '0644', sha256: sha(content) }),
    content,
  }
}

function snapshot(
  sequence: number,
  takenAt: string,
  elements: IncomingElement[],
): IncomingSnapshot {
  return {
    uuid: `snapshot-${sequence}-${elements.length}`,
    sequence,
    base: null,
    takenAt,
    elements,
    removed: [],
    uncertain: [],
    notChecked: [],
  }
}

async function node(store: FleetStore, name: string, tag: string): Promise<number> {
  await store.createEnrollmentToken({
    tokenHash: `token-${name}`,
    tags: [tag],
    reusable: false,
    createdBy: 'admin',
    expiresAt: '2027-01-01T00:00:00.000Z',
    now: BASELINE_AT,
  })
  const enrolled = await store.enrollNode({
    tokenHash: `token-${name}`,
    credentialHash: `credential-${name}`,
    name,
    kind: 'host',
    identity: { hostname: name, productUuid: `uuid-${name}` },
    now: BASELINE_AT,
  })
  assert.ok(enrolled)
  return enrolled.id
}

interface Fleet {
  readonly store: FleetStore
  readonly location: string
}

/**
 * Two nodes; on web-01 an nginx edit under an approved ticket and a motd edit no ticket covers
 * (promoted later by alice); on db-01 an added cron job. A rejected ticket whose title is a formula.
 */
async function fleetWithChanges(t: TestContext, kind: StoreKind): Promise<Fleet> {
  const database = await freshDatabase(t, kind)
  const store = await openFleetStore(database.location)
  t.after(async () => {
    await store.close()
    await database.drop()
  })
  const web = await node(store, 'web-01', 'web')
  const db = await node(store, 'db-01', 'db')
  const webBuild = [file('/etc/motd', 'welcome\n'), file('/etc/nginx/nginx.conf', 'tls 1.2\n')]
  await store.ingestSnapshot(web, snapshot(1, BASELINE_AT, webBuild), BASELINE_AT)
  await store.ingestSnapshot(
    db,
    snapshot(1, BASELINE_AT, [file('/etc/hosts', 'db\n')]),
    BASELINE_AT,
  )
  await store.ingestSnapshot(
    web,
    snapshot(2, CHANGED_AT, [
      file('/etc/motd', 'hacked\n'),
      file('/etc/nginx/nginx.conf', 'tls 1.3\n'),
    ]),
    CHANGED_AT,
  )
  await store.ingestSnapshot(
    db,
    snapshot(2, CHANGED_AT, [file('/etc/hosts', 'db\n'), file('/etc/cron.d/job', '* * * * * x\n')]),
    CHANGED_AT,
  )
  const approved = await store.saveTicket(
    {
      externalRef: 'CHG0040001',
      source: 'servicenow',
      state: 'approved',
      windowStart: '2026-11-02T09:00:00.000Z',
      windowEnd: '2026-11-02T11:00:00.000Z',
      document: {
        title: 'nginx TLS 1.3',
        approver: 'carol',
        approvedAt: '2026-11-01T17:00:00.000Z',
        scope: { nodes: ['name:web-*'], elements: ['file:/etc/nginx/**'] },
      },
    },
    'api:operator',
    '2026-11-01T16:00:00.000Z',
  )
  await store.saveTicket(
    {
      externalRef: 'CHG0040002',
      source: 'csv',
      state: 'rejected',
      windowStart: '2026-11-02T13:00:00.000Z',
      windowEnd: '2026-11-02T14:00:00.000Z',
      document: { title: '=HYPERLINK("http://evil.example","open me")', approver: null },
    },
    'import:operator',
    '2026-11-02T01:00:00.000Z',
  )
  const changes = await store.listChanges({})
  const id = (key: string): number => {
    const found = changes.find((change) => change.key === key)
    assert.ok(found, key)
    return found.id
  }
  await store.recordVerdicts(
    [
      {
        changeId: id('file:/etc/nginx/nginx.conf'),
        verdict: 'authorized',
        ticketId: approved.id,
        reason: 'CHG0040001 covers file:/etc/nginx/** on web-01',
      },
      {
        changeId: id('file:/etc/motd'),
        verdict: 'unauthorized',
        ticketId: null,
        reason: 'no approved ticket names web-01 and file:/etc/motd',
      },
      {
        changeId: id('file:/etc/cron.d/job'),
        verdict: 'unauthorized',
        ticketId: null,
        reason: 'no approved ticket names db-01',
      },
    ],
    'driftwatch',
    CHANGED_AT,
  )
  await store.promote({
    nodeId: web,
    keys: ['file:/etc/motd'],
    actor: 'alice',
    reason: 'new banner, approved after the fact',
    now: PROMOTED_AT,
  })
  return { store, location: database.location }
}

const readJson = (dir: string, name: string): any =>
  JSON.parse(readFileSync(join(dir, name), 'utf8'))

async function exportTo(fleet: Fleet, data: string, out: string, ...extra: string[]) {
  const args = ['evidence', '--from', FROM, '--to', TO, '--out', out, '--data', data]
  return driftwatch([...args, '--db', fleet.location, ...extra])
}

for (const kind of STORE_KINDS) {
  describe(`evidence export on ${kind}`, () => {
    test('lists exactly the changes of the range with their verdicts, tickets and corrective actions', async (t) => {
      const fleet = await fleetWithChanges(t, kind)
      const data = tempDir(t)
      const out = join(tempDir(t), 'evidence')
      const run = await exportTo(fleet, data, out)
      assert.equal(run.code, 0, run.stderr)
      assert.match(run.stdout, /3 changes, 2 tickets, 1 corrective actions/)

      const changes = readJson(out, 'changes.json')
      assert.deepEqual(
        changes.map((c: any) => [c.node, c.key, c.kind, c.verdict, c.ticket, c.status]),
        [
          ['db-01', 'file:/etc/cron.d/job', 'added', 'unauthorized', null, 'open'],
          ['web-01', 'file:/etc/motd', 'modified', 'unauthorized', null, 'promoted'],
          ['web-01', 'file:/etc/nginx/nginx.conf', 'modified', 'authorized', 'CHG0040001', 'open'],
        ],
      )
      const motd = changes[1]
      assert.equal(
        motd.summary,
        `sha256: ${sha('welcome\n').slice(0, 12)}… → ${sha('hacked\n').slice(0, 12)}…`,
      )
      assert.equal(motd.resolvedBy, 'alice')
      assert.equal(motd.resolutionReason, 'new banner, approved after the fact')
      assert.equal(motd.scannedAt, CHANGED_AT)
      assert.equal(motd.previousScannedAt, BASELINE_AT)

      const tickets = readJson(out, 'tickets.json')
      assert.deepEqual(
        tickets.map((ticket: any) => [
          ticket.externalRef,
          ticket.state,
          ticket.approver,
          ticket.authorizedChanges,
        ]),
        [
          ['CHG0040001', 'approved', 'carol', 1],
          ['CHG0040002', 'rejected', null, 0],
        ],
      )
      const [promotion, ...others] = readJson(out, 'corrective-actions.json')
      assert.deepEqual(others, [])
      assert.equal(promotion.action, 'promote')
      assert.equal(promotion.node, 'web-01')
      assert.equal(promotion.key, 'file:/etc/motd')
      assert.equal(promotion.actor, 'alice')
      assert.equal(typeof promotion.auditEntryId, 'number')
      const audit = readJson(out, 'audit.json')
      assert.ok(
        audit.some((entry: any) => entry.id === promotion.auditEntryId && entry.hash.length === 64),
      )
      assert.ok(audit.every((entry: any) => entry.at >= FROM && entry.at < TO))

      const csv = readFileSync(join(out, 'changes.csv'), 'utf8')
      assert.equal(
        csv.split('\r\n')[0],
        'id,node,key,kind,summary,detected_at,scanned_at,previous_scanned_at,status,verdict,ticket,verdict_reason,resolved_at,resolved_by,resolution_reason',
      )
      assert.equal(csv.split('\r\n').length, 5)
      // A spreadsheet opening the tickets must show the title, not follow the link.
      const ticketsCsv = readFileSync(join(out, 'tickets.csv'), 'utf8')
      assert.ok(
        ticketsCsv.includes(`,"'=HYPERLINK(""http://evil.example"",""open me"")",`),
        ticketsCsv,
      )
      assert.equal(statSync(join(data, 'evidence.key')).mode & 0o777, 0o600)
    })

    test('a scope keeps only its nodes; the same range exports the same files', async (t) => {
      const fleet = await fleetWithChanges(t, kind)
      const data = tempDir(t)
      const scoped = join(tempDir(t), 'db')
      assert.equal((await exportTo(fleet, data, scoped, '--tag', 'db')).code, 0)
      assert.deepEqual(
        readJson(scoped, 'changes.json').map((c: any) => c.key),
        ['file:/etc/cron.d/job'],
      )
      assert.deepEqual(readJson(scoped, 'corrective-actions.json'), [])
      assert.equal(readJson(scoped, 'manifest.json').scope, 'tag:db')

      const first = join(tempDir(t), 'first')
      const second = join(tempDir(t), 'second')
      assert.equal((await exportTo(fleet, data, first)).code, 0)
      assert.equal((await exportTo(fleet, data, second)).code, 0)
      const manifest = (dir: string): unknown => ({
        ...readJson(dir, 'manifest.json'),
        createdAt: 0,
      })
      assert.deepEqual(manifest(first), manifest(second))
    })

    test('evidence verify passes on the export and names what was altered', async (t) => {
      const fleet = await fleetWithChanges(t, kind)
      const data = tempDir(t)
      const out = join(tempDir(t), 'evidence')
      assert.equal((await exportTo(fleet, data, out)).code, 0)
      const intact = await driftwatch(['evidence', 'verify', out, '--data', data])
      assert.equal(intact.code, 0, intact.stderr)
      assert.match(intact.stdout, /evidence intact: 7 files/)
      assert.match(intact.stdout, /the expected key/)
      const unpinned = await driftwatch(['evidence', 'verify', out])
      assert.equal(unpinned.code, 0, unpinned.stderr)
      assert.match(unpinned.stdout, /not pinned/)

      const altered = async (name: string, edit: (bytes: Buffer) => Buffer | undefined) => {
        const path = join(out, name)
        const original = readFileSync(path)
        const edited = edit(Buffer.from(original))
        if (edited === undefined) rmSync(path)
        else writeFileSync(path, edited)
        const run = await driftwatch(['evidence', 'verify', out])
        writeFileSync(path, original)
        return run
      }
      const oneByte = (bytes: Buffer): Buffer => {
        const at = bytes.indexOf('unauthorized')
        bytes[at] = 'U'.charCodeAt(0)
        return bytes
      }
      const csv = await altered('changes.csv', oneByte)
      assert.equal(csv.code, 4)
      assert.match(csv.stderr, /changes\.csv does not match its SHA-256 .*DW_ERR_EVIDENCE_TAMPERED/)
      const deleted = await altered('tickets.json', () => undefined)
      assert.equal(deleted.code, 4)
      assert.match(deleted.stderr, /tickets\.json is missing/)
      const manifest = await altered('manifest.json', (bytes) =>
        Buffer.from(bytes.toString('utf8').replace('"changes": 3', '"changes": 2')),
      )
      assert.equal(manifest.code, 4)
      assert.match(manifest.stderr, /signature does not match manifest\.json/)
      const signature = await altered('manifest.sig', (bytes) => {
        bytes[10] = bytes[10] === 65 ? 66 : 65
        return bytes
      })
      assert.equal(signature.code, 4)

      writeFileSync(join(out, 'notes.txt'), 'added later\n')
      const extra = await driftwatch(['evidence', 'verify', out])
      assert.equal(extra.code, 4)
      assert.match(extra.stderr, /notes\.txt is not in manifest\.json/)
      rmSync(join(out, 'notes.txt'))

      // Signed again by someone else's console: intact on its own, refused when the key is pinned.
      const otherData = tempDir(t)
      const forged = join(tempDir(t), 'forged')
      assert.equal((await exportTo(fleet, otherData, forged)).code, 0)
      assert.equal((await driftwatch(['evidence', 'verify', forged])).code, 0)
      const pinned = await driftwatch(['evidence', 'verify', forged, '--data', data])
      assert.equal(pinned.code, 4)
      assert.match(pinned.stderr, /not by the expected key/)
      const publicKey = await driftwatch(['evidence', 'public-key', '--data', data])
      const pem = join(tempDir(t), 'evidence.pub')
      writeFileSync(pem, publicKey.stdout)
      assert.equal((await driftwatch(['evidence', 'verify', out, '--key', pem])).code, 0)
      assert.equal((await driftwatch(['evidence', 'verify', forged, '--key', pem])).code, 4)
    })

    test('an auditor fetches the export over the API and saves it as a directory that verifies', async (t) => {
      const fleet = await fleetWithChanges(t, kind)
      const data = tempDir(t)
      const context = {
        ...(await testConsoleContext(fleet.store)),
        evidenceKey: () => evidenceKey(data),
      }
      const app = await buildConsoleApp(context, { bodyLimit: 1 << 20, logger: false })
      t.after(() => app.close())
      const passwordHash = await hashPassword(PASSWORD)
      const now = new Date().toISOString()
      for (const role of ['auditor', 'operator'] as const) {
        await fleet.store.createUser({ name: role, passwordHash, role, actor: 'test', now })
      }
      const token = async (name: string): Promise<string> => {
        const login = await app.inject({
          method: 'POST',
          url: '/api/v1/login',
          payload: { name, password: PASSWORD },
        })
        return login.json<{ token: string }>().token
      }
      const url = `/api/v1/evidence?from=${FROM}&to=${TO}`
      const refused = await app.inject({
        url,
        headers: { authorization: `Bearer ${await token('operator')}` },
      })
      assert.equal(refused.statusCode, 403)
      const response = await app.inject({
        url,
        headers: { authorization: `Bearer ${await token('auditor')}` },
      })
      assert.equal(response.statusCode, 200, response.body)
      const bundle = response.json<{
        manifest: any
        signature: string
        files: Record<string, string>
      }>()
      assert.equal(bundle.manifest.createdBy.actor, 'auditor')
      assert.equal(bundle.manifest.counts.changes, 3)
      const saved = join(tempDir(t), 'saved')
      mkdirSync(saved)
      for (const [name, content] of Object.entries(bundle.files))
        writeFileSync(join(saved, name), content)
      const verified = await driftwatch(['evidence', 'verify', saved, '--data', data])
      assert.equal(verified.code, 0, verified.stderr)
      const audit = await fleet.store.lastAuditOf('evidence.export')
      assert.equal(audit?.actor, 'auditor')

      const backwards = await app.inject({
        url: `/api/v1/evidence?from=${TO}&to=${FROM}`,
        headers: { authorization: `Bearer ${await token('auditor')}` },
      })
      assert.equal(backwards.statusCode, 400)
    })
  })
}
