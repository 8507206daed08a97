import assert from 'node:assert/strict'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import Database from 'better-sqlite3'
import {
  startLiveConsole,
  type LiveConsole,
  type LiveConsoleOptions,
} from '../../test/support/live-console.js'
import { plantRoot, tempDir } from '../../test/support/temp-tree.js'
import { openTarget } from '../target/index.js'
import { readMachineIdentity, runAgent, runAgentOnce, type AgentOptions } from './index.js'

const PRODUCT_UUID = '/sys/class/dmi/id/product_uuid'

function machine(t: TestContext, productUuid = '4c4c4544-0000-aaaa') {
  return plantRoot(t, {
    '/etc/hostname': 'web-01\n',
    '/etc/machine-id': 'machine-a\n',
    [PRODUCT_UUID]: `${productUuid}\n`,
    '/etc/app.conf': 'port = 80\n',
    '/etc/motd': 'hello\n',
  })
}

function lines() {
  const written: string[] = []
  return {
    written,
    text: () => written.join(''),
    io: { stderr: { write: (text: string) => written.push(text) } },
  }
}

async function setUp(t: TestContext, consoleOptions: LiveConsoleOptions = {}) {
  const live = await startLiveConsole(t, consoleOptions)
  const root = machine(t)
  const options: AgentOptions = {
    console: live.url,
    enrollmentToken: await live.enrollmentToken(),
    stateDir: join(tempDir(t), 'state'),
    root,
    threads: 1,
  }
  return { live, root, options, spool: join(options.stateDir, 'spool') }
}

/** Polls until `condition` holds; fails early if the agent stops on its own. */
async function waitFor(
  condition: () => boolean | Promise<boolean>,
  agent: Promise<void>,
): Promise<void> {
  let stopped: Error | undefined
  agent.then(
    () => (stopped = new Error('the agent stopped')),
    (error: unknown) => (stopped = error instanceof Error ? error : new Error(String(error))),
  )
  const deadline = Date.now() + 30_000
  while (!(await condition())) {
    if (stopped !== undefined) throw stopped
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await sleep(50)
  }
}

/** The node's changes as `kind key`, the way the console lists them. */
async function changedKeys(live: LiveConsole, nodeId = 1): Promise<string[]> {
  const changes = await live.store.listChanges({ nodeId })
  return changes.map((change) => `${change.kind} ${change.key}`).sort()
}

test('enrolls, pushes a whole snapshot, then only what changed', async (t) => {
  const { live, root, options } = await setUp(t)
  const first = lines()
  const result = await runAgentOnce(options, first.io)
  assert.equal(result.delivered, true)
  assert.equal(live.pushes[0]?.base, null)
  const stored = await live.store.currentElements(result.nodeId)
  assert.equal(stored.get('file:/etc/app.conf')?.content, 'port = 80\n')
  assert.match(first.text(), /enrolled with http:\/\/127\.0\.0\.1:\d+ as node 1/)
  assert.doesNotMatch(first.text(), /dwa_|dwe_/)

  writeFileSync(join(root, 'etc/app.conf'), 'port = 8080\n')
  const second = lines()
  await runAgentOnce(options, second.io)
  assert.deepEqual(live.pushes[1], {
    sequence: 2,
    base: 1,
    keys: ['file:/etc/app.conf'],
    removed: [],
  })
  assert.match(second.text(), /pushed snapshot 2: 1 change\n/)
  const after = await live.store.currentElements(result.nodeId)
  assert.equal(after.get('file:/etc/app.conf')?.content, 'port = 8080\n')
  assert.deepEqual(await changedKeys(live), ['modified file:/etc/app.conf'])
})

test('while the console is down snapshots are spooled, then delivered in order and counted once', async (t) => {
  const { live, root, options, spool } = await setUp(t)
  await runAgentOnce(options, lines().io)
  await live.stop()
  writeFileSync(join(root, 'etc/motd'), 'changed\n')
  const offline = lines()
  const result = await runAgentOnce(options, offline.io)
  assert.equal(result.delivered, false)
  assert.equal(result.spooled, 1)
  assert.match(offline.text(), /collecting with the last spec/)
  assert.match(offline.text(), /unreachable.*; 1 snapshot spooled\n/)
  await runAgentOnce(options, lines().io)
  assert.equal(readdirSync(spool).length, 2)

  await live.restart()
  const delivered = await runAgentOnce(options, lines().io)
  assert.equal(delivered.delivered, true)
  assert.deepEqual(
    delivered.pushed.map((p) => p.sequence),
    [2, 3, 4],
  )
  assert.equal((await live.store.statistics()).snapshots, 4)
  assert.deepEqual(await changedKeys(live), ['modified file:/etc/motd'])
  assert.deepEqual(readdirSync(spool), [])
})

test('a snapshot re-sent after its acknowledgement was lost is a duplicate, not a second change', async (t) => {
  const { live, root, options, spool } = await setUp(t)
  await runAgentOnce(options, lines().io)
  await live.stop()
  writeFileSync(join(root, 'etc/motd'), 'changed\n')
  await runAgentOnce(options, lines().io)
  const lost = tempDir(t)
  const acknowledged = join(options.stateDir, 'acknowledged.json')
  cpSync(acknowledged, join(lost, 'acknowledged.json'))
  cpSync(spool, join(lost, 'spool'), { recursive: true })
  await live.restart()
  await runAgentOnce(options, lines().io)
  assert.equal((await live.store.statistics()).snapshots, 3)

  // As if the agent had died after the console stored snapshot 2 and before it recorded that:
  // the acknowledged state from before, and snapshot 2 still in the spool.
  cpSync(join(lost, 'acknowledged.json'), acknowledged)
  cpSync(join(lost, 'spool'), spool, { recursive: true })
  const output = lines()
  const result = await runAgentOnce(options, output.io)
  assert.equal(result.pushed[0]?.sequence, 2)
  assert.equal(result.pushed[0]?.status, 'duplicate')
  assert.equal(result.delivered, true)
  assert.match(output.text(), /pushed snapshots 2–4: 0 changes \(1 already stored\)\n/)
  assert.equal((await live.store.statistics()).snapshots, 4)
  assert.deepEqual(await changedKeys(live), ['modified file:/etc/motd'])
})

test('accounts that could not be read this time are not reported as removed', async (t) => {
  const { live, root, options } = await setUp(t)
  const passwd = join(root, 'etc/passwd')
  writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n')
  await runAgentOnce(options, lines().io)
  assert.ok((await live.store.currentElements(1)).has('user:alice'))

  // /etc/passwd is no longer a file the accounts collector can read: nothing is known of users.
  rmSync(passwd)
  mkdirSync(passwd)
  const result = await runAgentOnce(options, lines().io)
  assert.equal(result.delivered, true)
  assert.deepEqual(live.pushes.at(-1)?.removed, [])
  assert.ok((await live.store.currentElements(1)).has('user:alice'))
  assert.deepEqual(
    (await changedKeys(live)).filter((change) => change.includes('user:')),
    [],
  )
})

test('a console that holds newer sequences gets the spool renumbered above them', async (t) => {
  const { live, options } = await setUp(t)
  await runAgentOnce(options, lines().io)
  // A copy of the agent's state (a restored backup, say) pushes on with the same credential.
  const copy = { ...options, stateDir: join(tempDir(t), 'state') }
  cpSync(options.stateDir, copy.stateDir, { recursive: true })
  await runAgentOnce(copy, lines().io)
  await runAgentOnce(copy, lines().io)
  assert.equal((await live.store.node(1))?.lastSequence, 3)

  const result = await runAgentOnce(options, lines().io)
  assert.equal(result.delivered, true)
  assert.deepEqual(
    result.pushed.map((p) => p.sequence),
    [4],
  )
  assert.equal(live.pushes.at(-1)?.base, null)
  assert.equal((await live.store.node(1))?.lastSequence, 4)
  assert.equal((await runAgentOnce(options, lines().io)).collected, 5)
})

test('a snapshot the console can never accept is dropped, loudly', async (t) => {
  const { live, root, options, spool } = await setUp(t, { bodyLimit: 4096 })
  writeFileSync(join(root, 'etc/big.conf'), 'x = 1\n'.repeat(2000))
  const output = lines()
  const result = await runAgentOnce(options, output.io)
  assert.deepEqual(result.dropped, [1])
  assert.match(output.text(), /DROPPED snapshot 1: .*too large/)
  assert.deepEqual(readdirSync(spool), [])
  assert.equal((await live.store.statistics()).snapshots, 0)
})

test('a clone of an enrolled template refuses to push with the template credential', async (t) => {
  const { live, root, options } = await setUp(t)
  await runAgentOnce(options, lines().io)
  // The clone has the template's files and agent state; only its product UUID is its own.
  const cloneRoot = tempDir(t, 'dw-clone-')
  cpSync(root, cloneRoot, { recursive: true })
  writeFileSync(join(cloneRoot, PRODUCT_UUID), '4c4c4544-0000-bbbb\n')
  const clone = { ...options, root: cloneRoot, enrollmentToken: undefined }
  await assert.rejects(runAgentOnce(clone, lines().io), {
    code: 'DW_ERR_NODE_IDENTITY_MISMATCH',
    message: /clone of the one enrolled as node 1.*--enroll/,
  })
  assert.equal((await live.store.statistics()).snapshots, 1)

  const template = await live.enrollmentToken({ reusable: true })
  const output = lines()
  const result = await runAgentOnce({ ...clone, enrollmentToken: template }, output.io)
  assert.equal(result.nodeId, 2)
  assert.equal((await live.store.node(2))?.lastSequence, result.pushed[0]?.sequence)
  assert.equal((await live.store.node(2))?.identity.productUuid, '4c4c4544-0000-bbbb')
  assert.match(output.text(), /discarding that node's agent state/)
  const saved = JSON.parse(readFileSync(join(options.stateDir, 'credential.json'), 'utf8')) as {
    identity: { productUuid: string }
  }
  assert.equal(saved.identity.productUuid, '4c4c4544-0000-bbbb')
})

test('a credential the console knows from another machine is refused by the console, and the clone enrolls anew', async (t) => {
  const { live, root, options, spool } = await setUp(t)
  await runAgentOnce(options, lines().io)
  // State whose recorded identity was made to match the clone: the agent cannot tell, the
  // console, which keeps the identity reported at enrollment, can.
  writeFileSync(join(root, PRODUCT_UUID), '4c4c4544-0000-cccc\n')
  const credentialFile = join(options.stateDir, 'credential.json')
  const credential = JSON.parse(readFileSync(credentialFile, 'utf8')) as {
    identity: { productUuid: string }
  }
  credential.identity.productUuid = '4c4c4544-0000-cccc'
  writeFileSync(credentialFile, JSON.stringify(credential))
  const clone = { ...options, enrollmentToken: undefined }
  await assert.rejects(runAgentOnce(clone, lines().io), {
    code: 'DW_ERR_NODE_IDENTITY_MISMATCH',
    message: /the console says this machine is not the one node 1 was enrolled on/,
  })
  assert.equal((await live.store.statistics()).snapshots, 1)
  assert.equal(readdirSync(spool).length, 1)

  const template = await live.enrollmentToken({ reusable: true })
  const result = await runAgentOnce({ ...clone, enrollmentToken: template }, lines().io)
  assert.equal(result.nodeId, 2)
  assert.equal(result.delivered, true)
  assert.equal(result.pushed.length, 2)
  assert.equal((await live.store.node(1))?.lastSequence, 1)
})

test('a revoked credential stops the agent with a clear error', async (t) => {
  const { live, options } = await setUp(t)
  await runAgentOnce(options, lines().io)
  // No route revokes an agent's credential; an administrator would do it in the database.
  const database = new Database(live.databasePath)
  database.prepare('UPDATE nodes SET credential_hash = NULL').run()
  database.close()
  await assert.rejects(runAgentOnce(options, lines().io), {
    code: 'DW_ERR_UNAUTHENTICATED',
    message: /revoked/,
  })
  assert.ok(existsSync(join(options.stateDir, 'credential.json')))
})

test('the daemon collects every interval until stopped, and nothing collected is lost', async (t) => {
  const { live, options, spool } = await setUp(t)
  const stop = new AbortController()
  const output = lines()
  const agent = runAgent({ ...options, intervalSeconds: 1 }, { ...output.io, signal: stop.signal })
  t.after(() => stop.abort())
  await waitFor(async () => (await live.store.statistics()).snapshots >= 2, agent)
  stop.abort()
  await agent
  const taken = Number(readFileSync(join(options.stateDir, 'next-sequence'), 'utf8')) - 1
  const stored = (await live.store.statistics()).snapshots
  assert.equal(stored + readdirSync(spool).length, taken)
  assert.match(output.text(), /pushed snapshot 1: 0 changes\n(.*\n)*pushed snapshot 2: 0 changes\n/)
})

test('the daemon keeps collecting while the console is down and delivers once it is back', async (t) => {
  const { live, root, options, spool } = await setUp(t)
  const stop = new AbortController()
  const output = lines()
  const agent = runAgent(
    { ...options, intervalSeconds: 1, maxBackoffSeconds: 1 },
    { ...output.io, signal: stop.signal },
  )
  t.after(() => stop.abort())
  await waitFor(async () => (await live.store.statistics()).snapshots >= 1, agent)
  await live.stop()
  writeFileSync(join(root, 'etc/motd'), 'changed\n')
  await waitFor(() => /unreachable.*; [2-9] snapshots spooled\n/.test(output.text()), agent)

  await live.restart()
  await waitFor(async () => (await changedKeys(live)).length > 0, agent)
  await waitFor(() => readdirSync(spool).length === 0, agent)
  stop.abort()
  await agent
  assert.deepEqual(await changedKeys(live), ['modified file:/etc/motd'])
  assert.match(output.text(), /pushed snapshots \d+–\d+: 1 change\n/)
})

test('the machine identity is read through the target, without loopback or empty MACs', (t) => {
  const root = plantRoot(t, {
    '/etc/hostname': 'db-02\n',
    '/etc/machine-id': '0123456789abcdef\n',
    '/sys/class/dmi/id/product_uuid': '4C4C4544-0000-1111\n',
    '/sys/class/net/lo/address': '00:00:00:00:00:00\n',
    '/sys/class/net/eth0/address': '52:54:00:AB:CD:EF\n',
    '/sys/class/net/dummy0/address': '00:00:00:00:00:00\n',
  })
  assert.deepEqual(readMachineIdentity(openTarget({ root })), {
    hostname: 'db-02',
    machineId: '0123456789abcdef',
    productUuid: '4c4c4544-0000-1111',
    macs: ['52:54:00:ab:cd:ef'],
  })
})
