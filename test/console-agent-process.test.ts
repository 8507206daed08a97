// Real console and agent processes: enroll, push, change a file on the agent's root, see the
// change through the API, promote it, see it gone; kill the console in the middle of a push and
// restart it — nothing lost, nothing doubled; a stolen credential on another machine writes
// nothing; two consoles on one PostgreSQL share the agents' work.
import assert from 'node:assert/strict'
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import https from 'node:https'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import Database from 'better-sqlite3'
import { POSTGRES_URL, STORE_KINDS } from './support/fleet-stores.js'
import {
  ADMIN_PASSWORD,
  adminSession,
  api,
  freshPostgresDatabase,
  runAgentProcess,
  startConsoleProcess,
} from './support/console-process.js'
import { driftwatch } from './support/run-cli.js'
import { tempDir } from './support/temp-tree.js'

function agentRoot(dir: string, name: string, productUuid: string): string {
  const root = join(dir, name)
  mkdirSync(join(root, 'etc/ssh'), { recursive: true })
  mkdirSync(join(root, 'sys/class/dmi/id'), { recursive: true })
  writeFileSync(join(root, 'etc/hostname'), `${name}\n`)
  writeFileSync(join(root, 'etc/machine-id'), `${productUuid.replace(/-/g, '')}\n`)
  writeFileSync(join(root, 'etc/motd'), 'welcome\n')
  writeFileSync(join(root, 'etc/ssh/sshd_config'), 'PermitRootLogin no\n')
  writeFileSync(join(root, 'sys/class/dmi/id/product_uuid'), `${productUuid}\n`)
  return root
}

for (const kind of STORE_KINDS) {
  describe(`console and agent processes on ${kind}`, () => {
    test('a change on an agent travels to the console, is promoted, and a killed console loses nothing', async (t) => {
      const work = tempDir(t)
      const data = join(work, 'console')
      const storeFlags =
        kind === 'sqlite'
          ? ['--data', data]
          : ['--data', data, '--db', await freshPostgresDatabase(t)]
      let console = await startConsoleProcess(t, storeFlags)
      const port = new URL(console.url).port
      const session = await adminSession(console.url)
      const token = await api(console.url, 'POST', '/api/v1/enrollment-tokens', session, {
        tags: ['web'],
      })
      const root = agentRoot(work, 'web-01', '4c4c4544-0001-0002-0003-000000000001')
      const state = join(work, 'agent-state')
      const agent = ['--console', console.url, '--state', state, '--root', root]

      const enrolled = await runAgentProcess([...agent, '--enroll', token.body.token])
      assert.equal(enrolled.code, 0, enrolled.stderr)
      const [node] = (await api(console.url, 'GET', '/api/v1/nodes', session)).body
      assert.equal(node.name, 'web-01')
      assert.equal(node.lastSequence, 1)

      writeFileSync(join(root, 'etc/motd'), 'owned\n')
      assert.equal((await runAgentProcess(agent)).code, 0)
      const open = await api(
        console.url,
        'GET',
        `/api/v1/changes?node=${node.id}&status=open`,
        session,
      )
      assert.deepEqual(
        open.body.map((c: any) => `${c.kind} ${c.key}`),
        ['modified file:/etc/motd'],
      )
      const promoted = await api(console.url, 'POST', `/api/v1/nodes/${node.id}/promote`, session, {
        keys: ['file:/etc/motd'],
        reason: 'CHG-1 new banner',
      })
      assert.deepEqual(promoted.body.promoted, ['file:/etc/motd'])
      assert.deepEqual(
        (await api(console.url, 'GET', `/api/v1/changes?node=${node.id}&status=open`, session))
          .body,
        [],
      )

      // A big push, and the console killed while it handles it.
      mkdirSync(join(root, 'etc/many'))
      for (let i = 0; i < 1500; i++)
        writeFileSync(join(root, `etc/many/file-${i}.conf`), `value ${i}\n`)
      writeFileSync(join(root, 'etc/motd'), 'owned again\n')
      const offset = console.log().length
      const pushing = runAgentProcess(agent)
      await console.waitForLog(/"url":"\/api\/v1\/agents\/snapshots"/, offset)
      await console.stop('SIGKILL')
      const interrupted = await pushing
      assert.equal(interrupted.code, 3, interrupted.stderr)

      console = await startConsoleProcess(t, ['--port', port, ...storeFlags])
      const delivered = await runAgentProcess(agent)
      assert.equal(delivered.code, 0, delivered.stderr)
      const resent = await runAgentProcess(agent)
      assert.equal(resent.code, 0, resent.stderr)
      const session2 = await adminSession(console.url)
      const changes = (
        await api(console.url, 'GET', `/api/v1/changes?node=${node.id}&limit=100000`, session2)
      ).body
      assert.equal(
        changes.filter((c: any) => c.key.startsWith('file:/etc/many/file-')).length,
        1500,
      )
      assert.equal(
        changes.filter((c: any) => c.key === 'file:/etc/motd' && c.status === 'open').length,
        1,
      )
      const after = (await api(console.url, 'GET', `/api/v1/nodes/${node.id}`, session2)).body
      // Collections 1, 2, the interrupted 3 (spooled, then delivered), 4 and 5.
      assert.equal(after.lastSequence, 5)

      // Agent state copied onto another machine: its pushes are refused, nothing is written.
      const stolenRoot = agentRoot(work, 'web-01-copy', '4c4c4544-0001-0002-0003-0000000000ff')
      const stolenState = join(work, 'stolen-state')
      cpSync(state, stolenState, { recursive: true })
      const stolen = await runAgentProcess([
        '--console',
        console.url,
        '--state',
        stolenState,
        '--root',
        stolenRoot,
      ])
      assert.equal(stolen.code, 3, stolen.stderr)
      assert.match(stolen.stderr, /\[DW_ERR_NODE_IDENTITY_MISMATCH\]/)
      assert.equal(
        (await api(console.url, 'GET', `/api/v1/nodes/${node.id}`, session2)).body.lastSequence,
        5,
      )
      assert.equal((await api(console.url, 'GET', '/api/v1/nodes', session2)).body.length, 1)

      await console.stop()
      const verified = await driftwatch(['audit', 'verify', ...storeFlags])
      assert.equal(verified.code, 0, verified.stderr)
      assert.match(verified.stdout, /audit log intact: \d+ entries/)
      if (kind === 'sqlite') {
        const db = new Database(join(data, 'console.db'))
        db.prepare("update audit_log set actor = 'nobody' where action = 'baseline.promote'").run()
        db.close()
        const tampered = await driftwatch(['audit', 'verify', ...storeFlags])
        assert.equal(tampered.code, 4)
        assert.match(tampered.stderr, /entry \d+ was edited \[DW_ERR_AUDIT_TAMPERED\]/)
      }
    })
  })
}

test('two consoles on one PostgreSQL share the agents without losing or doubling a snapshot', async (t) => {
  const work = tempDir(t)
  const db = await freshPostgresDatabase(t)
  const first = await startConsoleProcess(t, ['--data', join(work, 'a'), '--db', db])
  const second = await startConsoleProcess(t, ['--data', join(work, 'b'), '--db', db])
  const session = await adminSession(first.url)
  const token = await api(first.url, 'POST', '/api/v1/enrollment-tokens', session, {
    reusable: true,
  })
  const agents = Array.from({ length: 6 }, (_, i) => ({
    root: agentRoot(work, `node-${i}`, `4c4c4544-0000-0000-0000-00000000000${i}`),
    state: join(work, `state-${i}`),
    console: i % 2 === 0 ? first.url : second.url,
  }))
  const runs = await Promise.all(
    agents.map((a) =>
      runAgentProcess([
        '--console',
        a.console,
        '--state',
        a.state,
        '--root',
        a.root,
        '--enroll',
        token.body.token,
      ]),
    ),
  )
  for (const run of runs) assert.equal(run.code, 0, run.stderr)
  for (const a of agents) writeFileSync(join(a.root, 'etc/motd'), 'changed\n')
  const again = await Promise.all(
    agents.map((a) =>
      runAgentProcess(['--console', a.console, '--state', a.state, '--root', a.root]),
    ),
  )
  for (const run of again) assert.equal(run.code, 0, run.stderr)

  const nodes = (await api(second.url, 'GET', '/api/v1/nodes', await adminSession(second.url))).body
  assert.equal(nodes.length, 6)
  assert.deepEqual(
    nodes.map((n: any) => n.lastSequence),
    [2, 2, 2, 2, 2, 2],
  )
  const changes = (await api(first.url, 'GET', '/api/v1/changes?status=open', session)).body
  assert.equal(changes.filter((c: any) => c.key === 'file:/etc/motd').length, 6)
  const verified = await driftwatch(['audit', 'verify', '--db', db])
  assert.equal(verified.code, 0, verified.stderr)
})

test('over HTTPS the agent pins the console CA from its token, and refuses a console with another CA', async (t) => {
  const work = tempDir(t)
  const console = await startConsoleProcess(t, ['--data', join(work, 'console'), '--tls'])
  assert.match(console.url, /^https:/)
  const fingerprint = /CA fingerprint \(agents pin it\): ([0-9a-f]{64})/.exec(console.log())?.[1]
  assert.ok(fingerprint)
  // The test's own client trusts the console's CA as an agent would after enrollment.
  const ca = readFileSync(join(work, 'console/tls/ca.crt'), 'utf8')
  const session = await httpsAdminSession(console.url, ca)
  const token = await httpsApi(console.url, ca, 'POST', '/api/v1/enrollment-tokens', session, {})
  assert.ok(token.token.endsWith(`~${fingerprint}`))

  const root = agentRoot(work, 'secure-01', '4c4c4544-0000-0000-0000-0000000000aa')
  const forged = token.token.replace(/~[0-9a-f]{64}$/, `~${'0'.repeat(64)}`)
  const refused = await runAgentProcess([
    '--console',
    console.url,
    '--state',
    join(work, 'forged'),
    '--root',
    root,
    '--enroll',
    forged,
  ])
  assert.equal(refused.code, 4, refused.stderr)
  assert.match(refused.stderr, /DW_ERR_CONSOLE_IDENTITY/)

  const state = join(work, 'state')
  const enrolled = await runAgentProcess([
    '--console',
    console.url,
    '--state',
    state,
    '--root',
    root,
    '--enroll',
    token.token,
  ])
  assert.equal(enrolled.code, 0, enrolled.stderr)
  const nodes = await httpsApi(console.url, ca, 'GET', '/api/v1/nodes', session)
  assert.deepEqual(
    nodes.map((n: any) => [n.name, n.lastSequence]),
    [['secure-01', 1]],
  )
})

function httpsApi(
  url: string,
  ca: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<any> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${url}${path}`,
      {
        method,
        ca,
        headers: {
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (response) => {
        let text = ''
        response.on('data', (chunk: Buffer) => (text += chunk.toString()))
        response.on('end', () => resolve(text === '' ? undefined : JSON.parse(text)))
      },
    )
    request.on('error', reject)
    request.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

async function httpsAdminSession(url: string, ca: string): Promise<string> {
  const login = await httpsApi(url, ca, 'POST', '/api/v1/login', undefined, {
    name: 'admin',
    password: ADMIN_PASSWORD,
  })
  return login.token as string
}

test('audit verify of a database that is not there is an error, never an empty intact log', async (t) => {
  const work = tempDir(t)
  const missing = await driftwatch(['audit', 'verify', '--data', join(work, 'no-such-console')])
  assert.equal(missing.code, 3)
  assert.match(missing.stderr, /cannot open the console database .*console\.db.*\[DW_ERR_IO\]/)
  const url = POSTGRES_URL.replace(/\/[^/]*$/, '/dw_no_such_database').replace(
    '//',
    '//postgres:hunter2@',
  )
  const absent = await driftwatch(['audit', 'verify', '--db', url])
  assert.equal(absent.code, 3)
  assert.match(absent.stderr, /dw_no_such_database.*does not exist \[DW_ERR_CONSOLE_UNREACHABLE\]/)
  assert.doesNotMatch(absent.stderr, /hunter2/)
})
