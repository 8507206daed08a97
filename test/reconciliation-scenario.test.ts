// Issue 6's scenario with real console and agent processes: three tickets (approved for a config
// file on two nodes, approved but expired, rejected), a package upgraded as apt leaves it, a
// hand-edited binary, and a change on a node no ticket names. Each change must get its verdict,
// the evidence export must list them, and `evidence verify` must fail after one byte is edited.
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import {
  adminSession,
  api,
  freshPostgresDatabase,
  runAgentProcess,
  startConsoleProcess,
} from './support/console-process.js'
import { installDpkgPackage } from './support/dpkg-root.js'
import { STORE_KINDS } from './support/fleet-stores.js'
import { driftwatch } from './support/run-cli.js'
import { tempDir } from './support/temp-tree.js'

const HOUR = 3_600_000
const at = (offset: number): string => new Date(Date.now() + offset).toISOString()

/** A small Debian-like root: nginx and ssh configuration, curl and coreutils installed by dpkg. */
function nodeRoot(dir: string, name: string, uuid: string): string {
  const root = join(dir, name)
  for (const directory of ['etc/nginx', 'etc/ssh', 'sys/class/dmi/id'])
    mkdirSync(join(root, directory), { recursive: true })
  writeFileSync(join(root, 'etc/hostname'), `${name}\n`)
  writeFileSync(join(root, 'etc/machine-id'), `${uuid.replace(/-/g, '')}\n`)
  writeFileSync(join(root, 'sys/class/dmi/id/product_uuid'), `${uuid}\n`)
  writeFileSync(join(root, 'etc/motd'), 'welcome\n')
  writeFileSync(join(root, 'etc/nginx/nginx.conf'), 'ssl_protocols TLSv1.2;\n')
  writeFileSync(join(root, 'etc/ssh/sshd_config'), 'PermitRootLogin no\n')
  installDpkgPackage(root, {
    name: 'curl',
    version: '7.88.1-10+deb12u7',
    files: { '/usr/bin/curl': 'curl build 7\n' },
  })
  installDpkgPackage(root, {
    name: 'coreutils',
    version: '9.1-1',
    files: { '/usr/bin/ls': 'ls build 9.1\n', '/usr/bin/cat': 'cat build 9.1\n' },
  })
  return root
}

function ticket(id: string, state: string, window: { start: string; end: string }, scope: object) {
  return {
    id,
    title: `ticket ${id}`,
    state,
    ...(state === 'approved' ? { approver: 'carol', approvedAt: at(-4 * 24 * HOUR) } : {}),
    window,
    scope,
  }
}

for (const kind of STORE_KINDS) {
  describe(`the reconciliation scenario on ${kind}`, () => {
    test('every change gets the right verdict, the evidence lists them, and a one-byte edit is caught', async (t) => {
      const work = tempDir(t)
      const data = join(work, 'console')
      const db = kind === 'sqlite' ? [] : ['--db', await freshPostgresDatabase(t)]
      const console = await startConsoleProcess(t, ['--data', data, ...db])
      const session = await adminSession(console.url)
      const call = (method: string, path: string, body?: unknown) =>
        api(console.url, method, path, session, body)

      const now = { start: at(-HOUR), end: at(HOUR) }
      const tickets = [
        ticket('CHG-100', 'approved', now, {
          nodes: ['group:web'],
          elements: ['file:/etc/nginx/nginx.conf'],
        }),
        ticket(
          'CHG-101',
          'approved',
          { start: at(-10 * HOUR), end: at(-6 * HOUR) },
          { nodes: ['name:web-01'], elements: ['file:/etc/ssh/sshd_config'] },
        ),
        ticket('CHG-102', 'rejected', now, {
          nodes: ['name:web-02'],
          elements: ['file:/usr/bin/ls'],
        }),
      ]
      for (const body of tickets)
        assert.equal((await call('PUT', '/api/v1/tickets', body)).status, 200)

      const nodes = [
        { name: 'web-01', uuid: '4c4c4544-0000-0000-0000-00000000e001', tags: ['group:web'] },
        { name: 'web-02', uuid: '4c4c4544-0000-0000-0000-00000000e002', tags: ['group:web'] },
        { name: 'db-01', uuid: '4c4c4544-0000-0000-0000-00000000d001', tags: ['group:db'] },
      ]
      const agents = new Map<string, { root: string; args: string[] }>()
      for (const node of nodes) {
        const root = nodeRoot(work, node.name, node.uuid)
        const args = [
          '--console',
          console.url,
          '--state',
          join(work, `${node.name}.state`),
          '--root',
          root,
        ]
        const token = await call('POST', '/api/v1/enrollment-tokens', { tags: node.tags })
        const enrolled = await runAgentProcess([...args, '--enroll', token.body.token])
        assert.equal(enrolled.code, 0, enrolled.stderr)
        agents.set(node.name, { root, args })
      }
      const agent = (name: string) => agents.get(name) as { root: string; args: string[] }

      // web-01: the approved config change, an edit the expired ticket once covered, and an
      // upgrade of curl as apt makes it (new file, new file list and md5sums, new version).
      writeFileSync(join(agent('web-01').root, 'etc/nginx/nginx.conf'), 'ssl_protocols TLSv1.3;\n')
      writeFileSync(join(agent('web-01').root, 'etc/ssh/sshd_config'), 'PermitRootLogin yes\n')
      installDpkgPackage(agent('web-01').root, {
        name: 'curl',
        version: '7.88.1-10+deb12u8',
        files: { '/usr/bin/curl': 'curl build 8\n' },
      })
      // web-02: the approved config change, and ls edited by hand (the rejected ticket asked to).
      writeFileSync(join(agent('web-02').root, 'etc/nginx/nginx.conf'), 'ssl_protocols TLSv1.3;\n')
      writeFileSync(join(agent('web-02').root, 'usr/bin/ls'), 'ls with a backdoor\n')
      // db-01: no ticket names it.
      writeFileSync(join(agent('db-01').root, 'etc/motd'), 'owned\n')
      for (const node of nodes) {
        const run = await runAgentProcess(agent(node.name).args)
        assert.equal(run.code, 0, run.stderr)
      }

      const listed = await call('GET', '/api/v1/changes?limit=1000')
      const verdicts = Object.fromEntries(listed.body.map((c: any) => [`${c.node} ${c.key}`, c]))
      const byNode = (name: string) =>
        Object.fromEntries(
          listed.body.filter((c: any) => c.node === name).map((c: any) => [c.key, c.verdict]),
        )
      assert.deepEqual(
        byNode('web-01'),
        {
          'file:/etc/nginx/nginx.conf': 'authorized',
          'file:/etc/ssh/sshd_config': 'unauthorized',
          'file:/usr/bin/curl': 'explained',
          'package:curl': 'unauthorized',
        },
        JSON.stringify(verdicts, null, 1),
      )
      assert.deepEqual(byNode('web-02'), {
        'file:/etc/nginx/nginx.conf': 'authorized',
        'file:/usr/bin/ls': 'unauthorized',
      })
      assert.deepEqual(byNode('db-01'), { 'file:/etc/motd': 'unauthorized' })
      const reason = (node: string, key: string): string =>
        listed.body.find((c: any) => c.node === node && c.key === key).verdictReason
      assert.match(reason('web-01', 'file:/etc/ssh/sshd_config'), /CHG-101: .*window/)
      assert.match(
        reason('web-01', 'file:/usr/bin/curl'),
        /7\.88\.1-10\+deb12u7 → 7\.88\.1-10\+deb12u8/,
      )
      assert.match(reason('web-02', 'file:/usr/bin/ls'), /not a package update/)
      assert.match(reason('web-02', 'file:/usr/bin/ls'), /CHG-102/)
      assert.match(reason('db-01', 'file:/etc/motd'), /no ticket covers node db-01/)

      const out = join(work, 'evidence')
      const exported = await driftwatch([
        'evidence',
        '--from',
        at(-24 * HOUR),
        '--to',
        at(HOUR),
        '--out',
        out,
        '--data',
        data,
        ...db,
      ])
      assert.equal(exported.code, 0, exported.stderr)
      const changes = JSON.parse(readFileSync(join(out, 'changes.json'), 'utf8'))
      assert.deepEqual(
        changes.map((c: any) => `${c.node} ${c.key} ${c.verdict} ${c.ticket ?? '-'}`).sort(),
        [
          'db-01 file:/etc/motd unauthorized -',
          'web-01 file:/etc/nginx/nginx.conf authorized CHG-100',
          'web-01 file:/etc/ssh/sshd_config unauthorized -',
          'web-01 file:/usr/bin/curl explained -',
          'web-01 package:curl unauthorized -',
          'web-02 file:/etc/nginx/nginx.conf authorized CHG-100',
          'web-02 file:/usr/bin/ls unauthorized -',
        ],
      )
      const ticketsOut = JSON.parse(readFileSync(join(out, 'tickets.json'), 'utf8'))
      assert.deepEqual(
        ticketsOut.map((t: any) => [t.externalRef, t.state, t.authorizedChanges]).sort(),
        [
          ['CHG-100', 'approved', 2],
          ['CHG-101', 'approved', 0],
          ['CHG-102', 'rejected', 0],
        ],
      )
      const intact = await driftwatch(['evidence', 'verify', out, '--data', data])
      assert.equal(intact.code, 0, intact.stderr)

      const csvPath = join(out, 'changes.csv')
      const bytes = readFileSync(csvPath)
      const at_ = bytes.indexOf('unauthorized')
      bytes[at_] = 'U'.charCodeAt(0)
      writeFileSync(csvPath, bytes)
      const edited = await driftwatch(['evidence', 'verify', out, '--data', data])
      assert.equal(edited.code, 4)
      assert.match(edited.stderr, /changes\.csv/)
    })
  })
}
