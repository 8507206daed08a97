// reconcile-throughput.ts: how long reconciling detected changes against open change tickets takes
// as both grow (issue 6: 100,000 changes against 10,000 tickets in seconds). Tickets and changes
// are generated for a fleet of 5,000 nodes over 90 days: mixed node scopes (exact names, name
// globs, groups, tags), element patterns (exact files, directory trees, package and service globs,
// a few catch-alls like service:*), states and windows; changes fall on nodes and elements that
// tickets name and on many they do not, between scans 1 h to 7 days apart.
// Each figure is the median of --runs runs; the index build is timed apart from reconciliation.
// On a sample of changes the index's verdicts are checked against a scan of every ticket.
//
// Usage: node --import tsx bench/reconcile-throughput.ts [--runs 3] [--check 2000] [--tickets N] [--changes N]
import {
  reconcileChange,
  TicketIndex,
  type ChangeTicket,
  type DetectedChange,
  type TicketState,
} from '../src/reconcile/index.js'

const args = process.argv.slice(2)
const option = (name: string, fallback: number): number =>
  Number(args[args.indexOf(name) + 1] ?? fallback) || fallback
const runs = args.includes('--runs') ? option('--runs', 3) : 3
const checkSample = args.includes('--check') ? option('--check', 2000) : 2000
const list = (name: string, fallback: number[]): number[] =>
  args.includes(name) ? [option(name, fallback.at(-1) as number)] : fallback
const TICKET_COUNTS = list('--tickets', [100, 1_000, 10_000])
const CHANGE_COUNTS = list('--changes', [1_000, 10_000, 100_000])

/** Seeded, so every run reconciles the same data. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const next = random(6)
const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
const int = (n: number): number => Math.floor(next() * n)
const pad = (n: number, width: number): string => String(n).padStart(width, '0')

const HOUR = 3_600_000
const START = Date.parse('2025-01-01T00:00:00Z')
const DAYS = 90
const SERVICES = ['web', 'api', 'db', 'cache', 'queue', 'lb', 'auth', 'search', 'mail', 'batch']
const DAEMONS: Record<string, string> = {
  web: 'nginx',
  api: 'gunicorn',
  db: 'postgresql',
  cache: 'redis',
  queue: 'rabbitmq',
  lb: 'haproxy',
  auth: 'keycloak',
  search: 'opensearch',
  mail: 'postfix',
  batch: 'cron',
}
const ENVIRONMENTS = ['env=prod', 'env=staging', 'env=dev']
const APPS = 500

interface FleetNode {
  name: string
  tags: string[]
  groups: string[]
  service: string
}
const NODES: FleetNode[] = Array.from({ length: 5_000 }, (_, i) => {
  const service = SERVICES[i % SERVICES.length] as string
  const tags = [ENVIRONMENTS[i % 7 < 4 ? 0 : i % 7 < 6 ? 1 : 2] as string]
  if (i % 5 === 0) tags.push('pci')
  if (i % 11 === 0) tags.push('sox')
  return {
    name: `${service}-${pad(Math.floor(i / SERVICES.length), 4)}`,
    tags,
    groups: [`svc-${service}`, `dc-${(i % 3) + 1}`],
    service,
  }
})

function nodeSelector(): string {
  const node = pick(NODES)
  const roll = next()
  if (roll < 0.5) return `name:${node.name}`
  // web-00* (10 nodes), web-0* (100), web-* (500)
  if (roll < 0.75) return `name:${node.name.slice(0, node.service.length + 1 + 1 + int(3))}*`
  if (roll < 0.9) return `group:${pick(node.groups)}`
  return `tag:${pick(node.tags)}`
}

function elementPattern(service: string): string {
  const daemon = DAEMONS[service] as string
  const roll = next()
  if (roll < 0.2) return `file:/etc/${daemon}/**`
  if (roll < 0.35) return `file:/etc/${daemon}/${daemon}.conf`
  if (roll < 0.55) return `file:/opt/app-${pad(int(APPS), 3)}/**`
  if (roll < 0.65) return `package:${daemon}*`
  if (roll < 0.75) return `service:${daemon}.service`
  if (roll < 0.8) return `file:/etc/ssl/**`
  if (roll < 0.85) return `sysctl:net.ipv4.*`
  if (roll < 0.88) return `vm:${service}-*`
  if (roll < 0.9) return 'file:/etc/ssh/sshd_config'
  if (roll < 0.93) return 'service:*'
  if (roll < 0.95) return 'package:*'
  if (roll < 0.97) return 'user:*'
  return `file:/usr/lib/${daemon}/*.so`
}

const STATE_ROLL: [number, TicketState][] = [
  [0.3, 'approved'],
  [0.45, 'scheduled'],
  [0.55, 'implemented'],
  [0.7, 'closed'],
  [0.85, 'requested'],
  [1, 'rejected'],
]

function generateTickets(count: number): ChangeTicket[] {
  return Array.from({ length: count }, (_, i) => {
    const roll = next()
    const state = (STATE_ROLL.find(([limit]) => roll < limit) as [number, TicketState])[1]
    const start = START + int(DAYS * 24) * HOUR
    const length = next() < 0.9 ? (1 + int(8)) * HOUR : (1 + int(14)) * 24 * HOUR
    const approved = state !== 'requested' && state !== 'rejected'
    const service = pick(SERVICES)
    return {
      id: `CHG-${pad(i, 6)}`,
      externalRef: `CHG${pad(i + 31_000, 7)}`,
      title: `change ${i}`,
      state,
      approver: approved ? 'carol' : null,
      approvedAt: approved ? new Date(start - int(72) * HOUR).toISOString() : null,
      window: { start: new Date(start).toISOString(), end: new Date(start + length).toISOString() },
      scope: {
        nodes: Array.from({ length: 1 + int(3) }, nodeSelector),
        elements: Array.from({ length: 1 + int(3) }, () => elementPattern(service)),
      },
    }
  })
}

function changeKey(node: FleetNode): string {
  const daemon = DAEMONS[node.service] as string
  const roll = next()
  if (roll < 0.25)
    return `file:/etc/${daemon}/${pick(['conf.d/site.conf', `${daemon}.conf`, 'mime.types'])}`
  if (roll < 0.45)
    return `file:/opt/app-${pad(int(APPS), 3)}/${pick(['app.jar', 'config/app.yaml', 'lib/x.so'])}`
  if (roll < 0.6) return `file:/usr/bin/${pick(['ls', 'ps', 'sudo', 'python3', 'curl'])}`
  if (roll < 0.7) return `package:${pick([daemon, `${daemon}-common`, 'openssl', 'libc6'])}`
  if (roll < 0.78) return `service:${pick([daemon, 'ssh', 'cron'])}.service`
  if (roll < 0.84)
    return `file:/etc/${pick(['passwd', 'shadow', 'hosts', 'sudoers', 'ssh/sshd_config'])}`
  if (roll < 0.9) return `sysctl:${pick(['net.ipv4.ip_forward', 'kernel.randomize_va_space'])}`
  if (roll < 0.95) return `user:${pick(['alice', 'bob', 'deploy', 'mallory'])}`
  return `port:tcp/${pick([22, 80, 443, 5432, 31337])}`
}

function generateChanges(count: number): DetectedChange[] {
  return Array.from({ length: count }, () => {
    const node = pick(NODES)
    const detected = START + int(DAYS * 24 * 60) * 60_000
    const roll = next()
    const interval =
      roll < 0.6 ? HOUR : roll < 0.85 ? 6 * HOUR : roll < 0.98 ? 24 * HOUR : 7 * 24 * HOUR
    return {
      key: changeKey(node),
      kind: 'modified',
      before: '{"type":"file","mode":"0644"}',
      after: '{"type":"file","mode":"0600"}',
      node: { name: node.name, tags: node.tags, groups: node.groups },
      previousScanAt: new Date(detected - interval).toISOString(),
      detectedAt: new Date(detected).toISOString(),
    }
  })
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}
const seconds = (ms: number): string => (ms / 1000).toFixed(ms < 1000 ? 3 : 2)

const allChanges = generateChanges(Math.max(...CHANGE_COUNTS))
console.log(
  `node ${process.version}, ${runs} runs each, medians; fleet of ${NODES.length} nodes over ${DAYS} days`,
)
console.log(
  '| tickets | index build | 1,000 changes | 10,000 changes | 100,000 changes | changes/s (100k) | candidates per change | verdicts (100k) |',
)
console.log('|---:|---:|---:|---:|---:|---:|---:|---|')
for (const ticketCount of TICKET_COUNTS) {
  const tickets = generateTickets(ticketCount)
  const builds: number[] = []
  let index = new TicketIndex([])
  for (let run = 0; run < runs; run++) {
    // Fresh ticket objects, so each build compiles every pattern again.
    const copies = tickets.map((ticket) => ({ ...ticket }))
    const started = performance.now()
    index = new TicketIndex(copies)
    builds.push(performance.now() - started)
  }
  const cells: string[] = []
  const verdicts = new Map<string, number>()
  let candidates = 0
  for (const changeCount of CHANGE_COUNTS) {
    const changes = allChanges.slice(0, changeCount)
    const times: number[] = []
    for (let run = 0; run < runs; run++) {
      verdicts.clear()
      const started = performance.now()
      for (const change of changes) {
        const verdict = index.reconcile(change).verdict
        verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1)
      }
      times.push(performance.now() - started)
    }
    cells.push(`${seconds(median(times))} s`)
    if (changeCount === Math.max(...CHANGE_COUNTS)) {
      for (const change of changes.slice(0, 10_000)) candidates += index.candidates(change).length
      cells.push(Math.round(changeCount / (median(times) / 1000)).toLocaleString('en-US'))
    }
  }
  const shares = [...verdicts]
    .sort()
    .map(([verdict, n]) => `${verdict} ${((100 * n) / allChanges.length).toFixed(1)}%`)
  console.log(
    `| ${ticketCount.toLocaleString('en-US')} | ${seconds(median(builds))} s | ${cells.join(' | ')} | ${(candidates / 10_000).toFixed(1)} | ${shares.join(', ')} |`,
  )

  // The index must change nothing: same verdict, ticket and near misses as a scan of every ticket.
  const sample = allChanges.slice(-checkSample)
  let started = performance.now()
  const naive = sample.map((change) => JSON.stringify(reconcileChange(change, tickets)))
  const naiveMs = performance.now() - started
  started = performance.now()
  const indexed = sample.map((change) => JSON.stringify(index.reconcile(change)))
  const indexedMs = performance.now() - started
  const differences = naive.filter((verdict, i) => verdict !== indexed[i]).length
  const per100k = (ms: number): string => ((ms / sample.length) * 100).toFixed(1)
  console.error(
    `  ${ticketCount} tickets: ${sample.length} sampled changes, ${differences} differ from a scan of every ticket; that scan takes ${per100k(naiveMs)} s per 100,000 changes, the index ${per100k(indexedMs)} s`,
  )
  if (differences > 0) process.exitCode = 1
}
