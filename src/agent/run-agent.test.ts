import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { plantRoot, tempDir } from '../../test/support/temp-tree.js'
import type { IncomingSnapshot } from '../store/index.js'
import { readMachineIdentity, runAgentOnce, type AgentOptions } from './index.js'
import { openTarget } from '../target/index.js'

const RULES = {
  version: 1,
  collect: [],
  oneFilesystem: true,
  contentMaxBytes: 65536,
  exclude: [],
  contentExclude: [],
  rules: [
    {
      path: '/etc',
      attributes: ['type', 'mode', 'size', 'sha256'],
      exclude: [],
      content: ['/etc/*.conf'],
      recurse: true,
    },
  ],
}

interface FakeNode {
  readonly id: number
  lastSequence: number
  elements: Map<string, string>
  readonly uuids: Set<string>
}

/**
 * A console as small as the agent's API allows: one-time tokens, uuid dedupe, sequence and base
 * checks, changes counted per stored snapshot. `down` makes it answer 503.
 */
class FakeConsole {
  readonly nodes = new Map<string, FakeNode>()
  readonly tokens = new Set(['dwe_firsttoken1'])
  readonly pushes: IncomingSnapshot[] = []
  stored = 0
  down = false
  refuseNext: { status: number; body: unknown } | undefined
  url = ''
  private server: Server | undefined

  async start(t: TestContext): Promise<void> {
    this.server = createServer((request, response) => {
      let text = ''
      request.on('data', (chunk: Buffer) => (text += chunk.toString()))
      request.on('end', () => {
        const answer = this.answer(
          request.method ?? '',
          request.url ?? '',
          request.headers.authorization,
          text,
        )
        response.writeHead(answer.status, { 'content-type': 'application/json' })
        response.end(JSON.stringify(answer.body))
      })
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    t.after(() => this.server?.close())
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  private answer(method: string, url: string, authorization: string | undefined, text: string) {
    if (this.down)
      return {
        status: 503,
        body: { status: 503, code: 'DW_ERR_CONSOLE_UNREACHABLE', detail: 'database down' },
      }
    const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>)
    if (method === 'POST' && url === '/api/v1/agents/enroll') {
      const token = body['token'] as string
      if (!this.tokens.has(token)) return problem(401, 'DW_ERR_ENROLLMENT_REFUSED', 'token used')
      this.tokens.delete(token)
      const id = this.nodes.size + 1
      this.nodes.set(`dwa_node${id}`, {
        id,
        lastSequence: 0,
        elements: new Map(),
        uuids: new Set(),
      })
      return { status: 201, body: { nodeId: id, credential: `dwa_node${id}` } }
    }
    const node = this.nodes.get((authorization ?? '').replace('Bearer ', ''))
    if (node === undefined) return problem(401, 'DW_ERR_UNAUTHENTICATED', 'who are you')
    if (method === 'GET' && url === '/api/v1/agents/spec') {
      return { status: 200, body: { rules: RULES, intervalSeconds: 60 } }
    }
    const snapshot = body['snapshot'] as IncomingSnapshot
    this.pushes.push(snapshot)
    if (this.refuseNext !== undefined) {
      const refusal = this.refuseNext
      this.refuseNext = undefined
      return refusal
    }
    if (node.uuids.has(snapshot.uuid)) {
      return {
        status: 200,
        body: { status: 'duplicate', snapshotId: 1, sequence: snapshot.sequence, changes: 0 },
      }
    }
    if (snapshot.sequence <= node.lastSequence) {
      return {
        status: 409,
        body: {
          status: 409,
          code: 'DW_ERR_SNAPSHOT_OUT_OF_ORDER',
          lastSequence: node.lastSequence,
        },
      }
    }
    if (snapshot.base !== null && snapshot.base !== node.lastSequence) {
      return problem(409, 'DW_ERR_SNAPSHOT_BASE_MISMATCH', 'send whole')
    }
    const next = snapshot.base === null ? new Map<string, string>() : new Map(node.elements)
    for (const key of snapshot.removed) next.delete(key)
    for (const element of snapshot.elements)
      next.set(element.key, element.attributes + (element.content ?? ''))
    let changes = 0
    for (const key of new Set([...next.keys(), ...node.elements.keys()])) {
      if (next.get(key) !== node.elements.get(key)) changes++
    }
    node.elements = next
    node.lastSequence = snapshot.sequence
    node.uuids.add(snapshot.uuid)
    this.stored++
    return {
      status: 200,
      body: { status: 'stored', snapshotId: this.stored, sequence: snapshot.sequence, changes },
    }
  }
}

function problem(status: number, code: string, detail: string) {
  return {
    status,
    body: { type: `urn:driftwatch:error:${code}`, title: code, status, detail, code },
  }
}

function machine(t: TestContext, machineId = 'machine-a') {
  return plantRoot(t, {
    '/etc/hostname': 'web-01\n',
    '/etc/machine-id': `${machineId}\n`,
    '/etc/app.conf': 'port = 80\n',
    '/etc/motd': 'hello\n',
  })
}

function lines() {
  const written: string[] = []
  return { written, io: { stderr: { write: (text: string) => written.push(text) } } }
}

async function setUp(t: TestContext) {
  const console = new FakeConsole()
  await console.start(t)
  const root = machine(t)
  const options: AgentOptions = {
    console: console.url,
    enrollmentToken: 'dwe_firsttoken1',
    stateDir: join(tempDir(t), 'state'),
    root,
    threads: 1,
  }
  return { console, root, options }
}

test('enrolls, pushes a whole snapshot, then only what changed', async (t) => {
  const { console, root, options } = await setUp(t)
  const first = lines()
  const result = await runAgentOnce(options, first.io)
  assert.equal(result.delivered, true)
  assert.equal(console.pushes[0]?.base, null)
  assert.ok(
    console.pushes[0]?.elements.some(
      (e) => e.key === 'file:/etc/app.conf' && e.content === 'port = 80\n',
    ),
  )
  assert.match(first.written.join(''), /enrolled with http:\/\/127\.0\.0\.1:\d+ as node 1/)
  assert.doesNotMatch(first.written.join(''), /dwa_|dwe_/)

  writeFileSync(join(root, 'etc/app.conf'), 'port = 8080\n')
  const second = lines()
  await runAgentOnce(options, second.io)
  const delta = console.pushes[1]
  assert.equal(delta?.base, 1)
  assert.deepEqual(
    delta?.elements.map((e) => e.key),
    ['file:/etc/app.conf'],
  )
  assert.match(second.written.join(''), /pushed snapshot 2: 1 change\n/)
  assert.equal(
    console.nodes.get('dwa_node1')?.elements.get('file:/etc/app.conf')?.endsWith('port = 8080\n'),
    true,
  )
})

test('while the console is down snapshots are spooled, then delivered in order and counted once', async (t) => {
  const { console, root, options } = await setUp(t)
  await runAgentOnce(options, lines().io)
  console.down = true
  writeFileSync(join(root, 'etc/motd'), 'changed\n')
  const offline = lines()
  const result = await runAgentOnce(options, offline.io)
  assert.equal(result.delivered, false)
  assert.equal(result.spooled, 1)
  assert.match(offline.written.join(''), /database down.*; 1 snapshot spooled/)
  await runAgentOnce(options, lines().io)
  assert.equal(readdirSync(join(options.stateDir, 'spool')).length, 2)

  console.down = false
  const back = lines()
  const delivered = await runAgentOnce(options, back.io)
  assert.equal(delivered.delivered, true)
  assert.deepEqual(
    delivered.pushed.map((p) => p.sequence),
    [2, 3, 4],
  )
  assert.equal(console.stored, 4)
  assert.deepEqual(readdirSync(join(options.stateDir, 'spool')), [])
})

test('a snapshot re-sent after its acknowledgement was lost is a duplicate, not a second change', async (t) => {
  const { console, options } = await setUp(t)
  await runAgentOnce(options, lines().io)
  const spooled = join(options.stateDir, 'spool', '000000000001.json')
  // As if the agent died after the console stored snapshot 1 and before it removed the file.
  writeFileSync(spooled, JSON.stringify({ ...console.pushes[0], notChecked: [], uncertain: [] }))
  const result = await runAgentOnce(options, lines().io)
  assert.equal(result.pushed[0]?.status, 'duplicate')
  assert.equal(console.stored, 2)
})

test('a console that holds newer sequences gets the spool renumbered above them', async (t) => {
  const { console, options } = await setUp(t)
  await runAgentOnce(options, lines().io)
  const node = console.nodes.get('dwa_node1')
  assert.ok(node)
  node.lastSequence = 40
  const result = await runAgentOnce(options, lines().io)
  assert.equal(result.delivered, true)
  assert.deepEqual(
    result.pushed.map((p) => p.sequence),
    [41],
  )
  assert.equal(console.pushes.at(-1)?.base, null)
})

test('a snapshot the console can never accept is dropped, loudly', async (t) => {
  const { console, options } = await setUp(t)
  console.refuseNext = problem(413, 'DW_ERR_PAYLOAD_TOO_LARGE', 'body too large')
  const output = lines()
  const result = await runAgentOnce(options, output.io)
  assert.deepEqual(result.dropped, [1])
  assert.match(output.written.join(''), /DROPPED snapshot 1: .*body too large/)
  assert.deepEqual(readdirSync(join(options.stateDir, 'spool')), [])
})

test('a clone of an enrolled template refuses to push with the template credential', async (t) => {
  const { console, options } = await setUp(t)
  await runAgentOnce(options, lines().io)
  const clone = { ...options, root: machine(t, 'machine-b'), enrollmentToken: undefined }
  await assert.rejects(runAgentOnce(clone, lines().io), {
    code: 'DW_ERR_NODE_IDENTITY_MISMATCH',
    message: /clone of the one enrolled as node 1.*--enroll/,
  })
  assert.equal(console.stored, 1)

  console.tokens.add('dwe_templatetoken')
  const output = lines()
  const result = await runAgentOnce({ ...clone, enrollmentToken: 'dwe_templatetoken' }, output.io)
  assert.equal(result.nodeId, 2)
  assert.equal(console.nodes.get('dwa_node2')?.lastSequence, result.pushed[0]?.sequence)
  assert.match(output.written.join(''), /discarding that node's agent state/)
  const saved = JSON.parse(readFileSync(join(options.stateDir, 'credential.json'), 'utf8')) as {
    identity: { machineId: string }
  }
  assert.equal(saved.identity.machineId, 'machine-b')
})

test('a revoked credential stops the agent with a clear error', async (t) => {
  const { console, options } = await setUp(t)
  await runAgentOnce(options, lines().io)
  console.nodes.clear()
  await assert.rejects(runAgentOnce(options, lines().io), {
    code: 'DW_ERR_UNAUTHENTICATED',
    message: /revoked/,
  })
  assert.ok(existsSync(join(options.stateDir, 'credential.json')))
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
