// libvirt-inventory.ts: how long a libvirt inventory and lifecycleChanges take as the number of
// domains grows (issue 7: 1,000 domains must inventory and diff quickly), against what scripts do
// today — one `virsh dumpxml` process per domain.
//
// Two hypervisors, both libvirt's test driver:
// - `test:///<node.xml>` written here with N domains: every virsh process parses the whole file
//   again, which makes one process per domain very expensive (the baseline runs at 100 only);
// - a throwaway libvirtd serving `test:///default` with N domains defined: the cost of a virsh
//   process is then what it is against a real local libvirtd (start, connect, one RPC).
// Each figure is the median of --runs runs. At the largest size both are timed again with one
// snapshot in every domain: the connector then lists each domain's snapshots (`snapshot-list`),
// where otherwise one `list --without-snapshot` vouches for them all.
//
// Usage: node --import tsx bench/libvirt-inventory.ts [--runs 5] [--sizes 100,300,1000] [--out FILE]
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lifecycleChanges, type HypervisorInventory } from '../src/hypervisor/index.js'
import { ExecVirshRunner, LibvirtConnector } from '../src/hypervisor/libvirt/index.js'
import { startLibvirtDaemon } from '../test/support/libvirt-daemon.js'

const args = process.argv.slice(2)
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`)
  return index === -1 ? fallback : (args[index + 1] ?? fallback)
}
const RUNS = Number(option('runs', '5'))
const SIZES = option('sizes', '100,300,1000').split(',').map(Number)
const BASELINE_FILE_MAX = 100

function uuidOf(index: number, generation = 0): string {
  return `00000000-0000-4000-8${generation}00-${String(index).padStart(12, '0')}`
}

function domainXml(index: number, memoryMib = 1024, generation = 0, snapshot = false): string {
  const mac = `52:54:00:00:${(index >> 8).toString(16).padStart(2, '0')}:${(index & 255).toString(16).padStart(2, '0')}`
  const name = `vm-${String(index).padStart(5, '0')}`
  const body = `<name>${name}</name><uuid>${uuidOf(index, generation)}</uuid>
<memory unit='MiB'>${memoryMib}</memory><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/vm-${index}.qcow2'/><target dev='vda' bus='virtio'/></disk>
<interface type='network'><mac address='${mac}'/><source network='default'/></interface>
<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/></devices>`
  // The test driver reads a node file's snapshots as redefined ones: with the domain they were
  // taken of, and the creation time given.
  const snapshots = snapshot
    ? `<test:domainsnapshot><name>nightly</name><state>running</state><active>0</active>
<creationTime>1700000000</creationTime><domain type='test'>${body}</domain></test:domainsnapshot>`
    : ''
  return `<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>${body}${snapshots}</domain>`
}

/**
 * A node file; `changed` alters every 10th domain's memory, drops every 20th, adds N/20 new ones;
 * `snapshots` gives each domain one snapshot.
 */
function nodeXml(size: number, changed: boolean, snapshots = false): string {
  const domains: string[] = []
  for (let index = 0; index < size; index++) {
    if (changed && index % 20 === 0) continue
    domains.push(domainXml(index, changed && index % 10 === 5 ? 2048 : 1024, 0, snapshots))
  }
  if (changed)
    for (let index = 0; index < size / 20; index++) domains.push(domainXml(size + index, 1024, 1))
  return `<node>\n${domains.join('\n')}\n</node>\n`
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint()
  const result = await work()
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result }
}

/** What a script does: list the UUIDs, then one virsh dumpxml per domain. */
function shellLoop(uri: string): void {
  execFileSync('bash', [
    '-c',
    'for u in $(virsh -c "$0" list --all --uuid); do virsh -c "$0" dumpxml "$u" >/dev/null; done',
    uri,
  ])
}

async function medianInventory(
  uri: string,
  runs = RUNS,
): Promise<{ ms: number; inventory: HypervisorInventory }> {
  const times: number[] = []
  let inventory: HypervisorInventory | undefined
  for (let run = 0; run < runs; run++) {
    const { ms, result } = await timed(() => new LibvirtConnector({ uri }).inventory())
    times.push(ms)
    inventory = result
  }
  if (inventory === undefined) throw new Error('no run')
  return { ms: median(times), inventory }
}

function expectOneSnapshotEach(inventory: HypervisorInventory, domains: number): void {
  const counted = inventory.vms.filter((vm) => vm.elements[0]?.attributes['snapshots'] === 1)
  if (counted.length !== domains) throw new Error(`${counted.length} of ${domains} with a snapshot`)
}

async function medianShellLoop(uri: string, runs = RUNS): Promise<number> {
  const times: number[] = []
  for (let run = 0; run < runs; run++) times.push((await timed(() => shellLoop(uri))).ms)
  return median(times)
}

const work = mkdtempSync(join(tmpdir(), 'dw-bench-libvirt-'))
const rows: string[] = []
try {
  for (const size of SIZES) {
    const before = join(work, `node-${size}.xml`)
    const after = join(work, `node-${size}-changed.xml`)
    writeFileSync(before, nodeXml(size, false))
    writeFileSync(after, nodeXml(size, true))
    const first = await medianInventory(`test://${before}`)
    const second = await medianInventory(`test://${after}`, 1)
    if (first.inventory.vms.length !== size) throw new Error(`expected ${size} VMs`)
    const diffTimes: number[] = []
    let changes = lifecycleChanges(first.inventory, second.inventory)
    for (let run = 0; run < Math.max(RUNS, 20); run++) {
      const { ms, result } = await timed(() => lifecycleChanges(first.inventory, second.inventory))
      diffTimes.push(ms)
      changes = result
    }
    const baseline =
      size <= BASELINE_FILE_MAX ? await medianShellLoop(`test://${before}`, 3) : undefined
    rows.push(
      `| test:/// node file | ${size} | ${first.ms.toFixed(0)} | ${(first.ms / size).toFixed(2)} | ` +
        `${baseline === undefined ? '—' : baseline.toFixed(0)} | ${median(diffTimes).toFixed(1)} (${changes.length} changes) |`,
    )
    console.error(rows[rows.length - 1])
  }
  const largest = Math.max(...SIZES)
  const withSnapshots = join(work, `node-${largest}-snapshots.xml`)
  writeFileSync(withSnapshots, nodeXml(largest, false, true))
  const snapshotted = await medianInventory(`test://${withSnapshots}`)
  expectOneSnapshotEach(snapshotted.inventory, largest)
  rows.push(
    `| test:/// node file, 1 snapshot each | ${largest} | ${snapshotted.ms.toFixed(0)} | ` +
      `${(snapshotted.ms / largest).toFixed(2)} | — | — |`,
  )
  console.error(rows[rows.length - 1])

  const dir = join(work, 'daemon')
  mkdirSync(dir)
  const daemon = await startLibvirtDaemon(dir)
  try {
    const definer = new ExecVirshRunner({ uri: daemon.uri })
    let defined = 0
    for (const size of SIZES) {
      const commands: string[] = []
      for (; defined < size; defined++) {
        const file = join(dir, `vm-${defined}.xml`)
        writeFileSync(file, domainXml(defined))
        commands.push(`define --file ${file}`)
      }
      await definer.run(commands)
      const inventory = await medianInventory(daemon.uri)
      const baseline = await medianShellLoop(daemon.uri, size >= 1000 ? 3 : RUNS)
      rows.push(
        `| libvirtd (test:///default) | ${size} (+1) | ${inventory.ms.toFixed(0)} | ${(inventory.ms / size).toFixed(2)} | ` +
          `${baseline.toFixed(0)} | — |`,
      )
      console.error(rows[rows.length - 1])
    }
    await definer.run(
      Array.from({ length: defined }, (_, index) => `snapshot-create-as --domain ${uuidOf(index)}`),
    )
    const inventory = await medianInventory(daemon.uri)
    expectOneSnapshotEach(inventory.inventory, defined)
    rows.push(
      `| libvirtd (test:///default), 1 snapshot each | ${defined} (+1) | ${inventory.ms.toFixed(0)} | ` +
        `${(inventory.ms / defined).toFixed(2)} | — | — |`,
    )
    console.error(rows[rows.length - 1])
  } finally {
    await daemon.stop()
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}

const table = [
  `- ${new Date().toISOString().slice(0, 16)}Z, node ${process.version}, ${execFileSync('virsh', ['--version']).toString().trim()} (libvirt); medians of ${RUNS} runs (the shell loop: 3 at 1,000 domains and on node files)`,
  '',
  '| hypervisor | domains | driftwatch inventory, ms | ms per domain | shell loop `virsh dumpxml` per domain, ms | lifecycleChanges, ms |',
  '|---|---|---|---|---|---|',
  ...rows,
].join('\n')
const out = option('out', '')
if (out === '') console.log(table)
else writeFileSync(out, `${table}\n`)
