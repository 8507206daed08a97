// console-load.ts: simulated agents against real console processes. N nodes, clones of a few
// builds (each node ≥ 5,000 elements: files under /usr and /etc, packages, users, services,
// sysctls), enroll and push a whole snapshot each; then rescans push the 1% of elements that
// changed. Reports snapshots/s, elements/s, p50/p99 ingest latency and database size, for the
// store given (SQLite, PostgreSQL, or PostgreSQL behind two console instances).
//
// Usage: node --import tsx bench/console-load.ts --store sqlite|postgres|postgres-2
//          [--nodes 1000] [--rescans 3000] [--concurrency 16] [--builds 4] [--changed 0.01] [--out FILE]
//
// --changed: the share of a node's elements each rescan changes (0: rescans that find nothing new).
//
// The consoles are `node bin/driftwatch.js serve` processes (run `npm run build` first); the
// agents are HTTP clients in this process. PostgreSQL runs get a fresh database each
// (DRIFTWATCH_BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432), dropped afterwards.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { openFleetStore } from '../src/store/open-fleet-store.js'

const args = process.argv.slice(2)
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`)
  return index === -1 ? fallback : (args[index + 1] ?? fallback)
}
const STORE = option('store', 'sqlite')
const NODES = Number(option('nodes', '1000'))
const RESCANS = Number(option('rescans', '3000'))
const CONCURRENCY = Number(option('concurrency', '16'))
const BUILDS = Number(option('builds', '4'))
const OUT = option('out', '')
const PG_BASE = process.env['DRIFTWATCH_BENCH_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432'
const PASSWORD = 'bench-password-long-enough'
const CHANGED_SHARE = Number(option('changed', '0.01'))

// ── the simulated fleet ──────────────────────────────────────────────────────────────────
type Payload = { key: string; attributes: string; content?: string }

let seed = 42
const random = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff
  return seed / 0x7fffffff
}
const sha = (text: string): string => createHash('sha256').update(text).digest('hex')

function fileElement(path: string, salt: string, content?: string): Payload {
  const body = content ?? `${path}:${salt}`
  return {
    key: `file:${path}`,
    attributes: JSON.stringify({
      type: 'file',
      mode: path.includes('/bin/') ? '0755' : '0644',
      uid: 0,
      gid: 0,
      size: body.length * 37,
      mtime: 1_700_000_000 + Math.floor(random() * 1e6),
      sha256: sha(body),
    }),
    ...(content === undefined ? {} : { content }),
  }
}

/** One build: what every clone of it has. */
function makeBuild(build: number): Payload[] {
  const elements: Payload[] = []
  for (let i = 0; i < 4000; i++) elements.push(fileElement(`/usr/lib/pkg${i % 300}/file-${i}.so`, `b${build}`))
  for (let i = 0; i < 300; i++) elements.push(fileElement(`/etc/app${i % 40}/conf-${i}`, `b${build}`))
  for (let i = 0; i < 100; i++) {
    const text = `# config ${i} of build ${build}\n${'option value\n'.repeat(20)}`
    elements.push(fileElement(`/etc/conf.d/file-${i}.conf`, '', text))
  }
  for (let i = 0; i < 350; i++) {
    elements.push({ key: `package:pkg-${i}`, attributes: JSON.stringify({ status: 'install ok installed', version: `1.${build}.${i}` }) })
  }
  for (let i = 0; i < 60; i++) {
    elements.push({ key: `user:user${i}`, attributes: JSON.stringify({ uid: 1000 + i, gid: 1000 + i, shell: '/usr/sbin/nologin', home: `/home/user${i}` }) })
  }
  for (let i = 0; i < 120; i++) {
    elements.push({ key: `service:svc-${i}.service`, attributes: JSON.stringify({ enabled: i % 3 === 0 ? 'enabled' : 'disabled' }) })
  }
  for (let i = 0; i < 100; i++) {
    elements.push({ key: `sysctl:net.ipv4.key${i}`, attributes: JSON.stringify({ value: String(i % 2) }) })
  }
  elements.push({ key: 'os:release', attributes: JSON.stringify({ id: 'debian', versionId: '12' }) })
  return elements
}

interface SimulatedNode {
  readonly name: string
  readonly productUuid: string
  credential: string
  sequence: number
  readonly elements: Payload[]
}

const builds = Array.from({ length: BUILDS }, (_, build) => makeBuild(build))
function makeNode(index: number): SimulatedNode {
  const build = builds[index % BUILDS] as Payload[]
  const own = Array.from({ length: 10 }, (_, i) => fileElement(`/etc/ssh/ssh_host_key_${i}.pub`, `node${index}`))
  own.push({ key: 'os:hostname', attributes: JSON.stringify({ hostname: `node-${index}` }) })
  return { name: `node-${index}`, productUuid: randomUUID(), credential: '', sequence: 0, elements: [...build, ...own] }
}

// ── consoles ─────────────────────────────────────────────────────────────────────────────
interface Console {
  readonly url: string
  readonly process: ChildProcess
}

function startConsole(dataDir: string, db: string | undefined): Promise<Console> {
  const flags = ['bin/driftwatch.js', 'serve', '--port', '0', '--data', dataDir, '--interval', '3600']
  if (db !== undefined) flags.push('--db', db)
  // e.g. CONSOLE_NODE_ARGS=--cpu-prof profiles the consoles, not the simulated agents.
  const nodeArgs = (process.env['CONSOLE_NODE_ARGS'] ?? '').split(' ').filter(Boolean)
  const child = spawn(process.execPath, [...nodeArgs, ...flags], {
    env: {
      ...process.env,
      DRIFTWATCH_ADMIN_PASSWORD: PASSWORD,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (\S+)/.exec(output)
      if (match !== null) resolve({ url: match[1] as string, process: child })
    })
    child.on('exit', (code) => reject(new Error(`console exited with ${code}: ${output}`)))
  })
}

async function request(url: string, method: string, token: string | undefined, body?: unknown): Promise<any> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`)
  return text === '' ? undefined : JSON.parse(text)
}

// ── the run ──────────────────────────────────────────────────────────────────────────────
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}

async function runPool<T>(items: T[], work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const index = next++
        await work(items[index] as T, index)
      }
    }),
  )
}

const work = mkdtempSync(join(tmpdir(), 'dw-load-'))
let database: string | undefined
let pgName: string | undefined
if (STORE !== 'sqlite') {
  pgName = `dw_bench_${Date.now()}`
  const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` })
  await admin.connect()
  await admin.query(`create database ${pgName}`)
  await admin.end()
  database = `${PG_BASE}/${pgName}`
}
const consoles: Console[] = []
try {
  consoles.push(await startConsole(join(work, 'a'), database))
  if (STORE === 'postgres-2') consoles.push(await startConsole(join(work, 'b'), database))
  const consoleOf = (index: number): string => (consoles[index % consoles.length] as Console).url
  const login = await request(`${consoleOf(0)}/api/v1/login`, 'POST', undefined, { name: 'admin', password: PASSWORD })
  const token = await request(`${consoleOf(0)}/api/v1/enrollment-tokens`, 'POST', login.token, { reusable: true, tags: ['bench'] })
  const nodes = Array.from({ length: NODES }, (_, index) => makeNode(index))
  const elementsPerNode = nodes[0]?.elements.length ?? 0

  // Enrollment: enroll, then push the whole snapshot.
  const enrollLatency: number[] = []
  let enrollStarted = performance.now()
  await runPool(nodes, async (node, index) => {
    const enrolled = await request(`${consoleOf(index)}/api/v1/agents/enroll`, 'POST', undefined, {
      token: token.token,
      name: node.name,
      identity: { hostname: node.name, productUuid: node.productUuid },
    })
    node.credential = enrolled.credential
  })
  const enrollOnlySeconds = (performance.now() - enrollStarted) / 1000
  enrollStarted = performance.now()
  await runPool(nodes, async (node, index) => {
    node.sequence = 1
    const started = performance.now()
    await request(`${consoleOf(index)}/api/v1/agents/snapshots`, 'POST', node.credential, {
      identity: { hostname: node.name, productUuid: node.productUuid },
      snapshot: { uuid: randomUUID(), sequence: 1, base: null, takenAt: new Date().toISOString(), elements: node.elements, removed: [], uncertain: [], notChecked: [] },
    })
    enrollLatency.push(performance.now() - started)
  })
  const initialSeconds = (performance.now() - enrollStarted) / 1000
  const store = await openFleetStore(database ?? join(work, 'a', 'console.db'))
  const bytesAfterEnrollment = await store.storageBytes()

  // Rescans: 1% of a node's elements changed since its last snapshot.
  const changedPerRescan = Math.round(elementsPerNode * CHANGED_SHARE)
  const rescanLatency: number[] = []
  const order = Array.from({ length: RESCANS }, (_, i) => nodes[i % NODES] as SimulatedNode)
  const rescanStarted = performance.now()
  await runPool(order, async (node, index) => {
    const changed: Payload[] = []
    for (let i = 0; i < changedPerRescan; i++) {
      const position = Math.floor(random() * node.elements.length)
      const before = node.elements[position] as Payload
      const after = before.key.startsWith('file:')
        ? fileElement(before.key.slice(5), `rescan${index}`, before.content === undefined ? undefined : `${before.content}# edit ${index}\n`)
        : { key: before.key, attributes: before.attributes.replace(/}$/, `,"rescan":${index}}`) }
      node.elements[position] = after
      changed.push(after)
    }
    const unique = [...new Map(changed.map((element) => [element.key, element])).values()]
    const base = node.sequence
    node.sequence += 1
    const started = performance.now()
    await request(`${consoleOf(index)}/api/v1/agents/snapshots`, 'POST', node.credential, {
      identity: { hostname: node.name, productUuid: node.productUuid },
      snapshot: { uuid: randomUUID(), sequence: node.sequence, base, takenAt: new Date().toISOString(), elements: unique, removed: [], uncertain: [], notChecked: [] },
    })
    rescanLatency.push(performance.now() - started)
  })
  const rescanSeconds = (performance.now() - rescanStarted) / 1000
  const bytesAfterRescans = await store.storageBytes()
  const statistics = await store.statistics()
  await store.close()

  enrollLatency.sort((a, b) => a - b)
  rescanLatency.sort((a, b) => a - b)
  const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1)
  const report = [
    `### ${STORE}${STORE === 'postgres-2' ? ' (two console instances)' : ''}: ${NODES} nodes × ${elementsPerNode} elements, ${BUILDS} builds, ${RESCANS} rescans of ${changedPerRescan} changed elements, ${CONCURRENCY} agents at once`,
    '',
    `Command: \`node --import tsx bench/console-load.ts ${args.join(' ')}\` (${cpus().length} cores, ${new Date().toISOString().slice(0, 10)})`,
    '',
    '| phase | count | wall s | per second | elements/s | p50 ms | p99 ms |',
    '|---|---|---|---|---|---|---|',
    `| enroll (token → credential) | ${NODES} | ${enrollOnlySeconds.toFixed(1)} | ${(NODES / enrollOnlySeconds).toFixed(0)} | | | |`,
    `| first snapshot (whole) | ${NODES} | ${initialSeconds.toFixed(1)} | ${(NODES / initialSeconds).toFixed(1)} | ${((NODES * elementsPerNode) / initialSeconds).toFixed(0)} | ${percentile(enrollLatency, 50).toFixed(0)} | ${percentile(enrollLatency, 99).toFixed(0)} |`,
    `| rescan (${CHANGED_SHARE * 100}% changed) | ${RESCANS} | ${rescanSeconds.toFixed(1)} | **${(RESCANS / rescanSeconds).toFixed(1)}** | ${((RESCANS * changedPerRescan) / rescanSeconds).toFixed(0)} | ${percentile(rescanLatency, 50).toFixed(0)} | ${percentile(rescanLatency, 99).toFixed(0)} |`,
    '',
    `Database: ${mib(bytesAfterEnrollment)} MiB after enrollment (${(bytesAfterEnrollment / NODES / 1024).toFixed(1)} KiB per node), ${mib(bytesAfterRescans)} MiB after the rescans (${((bytesAfterRescans - bytesAfterEnrollment) / RESCANS / 1024).toFixed(1)} KiB per rescan). Rows: ${statistics.elementStates} element states and ${statistics.elementKeys} keys for ${NODES * elementsPerNode} node elements; ${statistics.elementVersions} versions; ${statistics.changes} changes.`,
    '',
  ].join('\n')
  process.stdout.write(`${report}\n`)
  if (OUT !== '') appendFileSync(OUT, `${report}\n`)
} finally {
  for (const running of consoles) running.process.kill('SIGTERM')
  await new Promise((resolve) => setTimeout(resolve, 500))
  rmSync(work, { recursive: true, force: true })
  if (pgName !== undefined) {
    const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` })
    await admin.connect()
    await admin.query(`drop database if exists ${pgName} with (force)`)
    await admin.end()
  }
}
