// hypervisor-collection.ts: the console's whole collection of a hypervisor — inventory, one
// snapshot per VM node, lifecycle verbs, reconciliation — as the number of VMs grows (issue 7:
// 1,000 domains must inventory and diff quickly). libvirt's test driver reads a node file written
// here; each size is collected three ways on a fresh store: the first inventory (every VM node
// created, the baseline), an unchanged one, and one where 10% of VMs were reconfigured, 5%
// deleted and 5% created. Medians of --runs runs, on SQLite and PostgreSQL.
//
// Usage: node --import tsx bench/hypervisor-collection.ts [--runs 3] [--sizes 100,300,1000]
//          [--stores sqlite,postgres] [--policies vm-config,vsphere-host]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openFleetStore } from '../src/store/open-fleet-store.js'
import type { FleetStore } from '../src/store/index.js'
import { testConsoleContext } from '../test/support/console-harness.js'
import { POSTGRES_URL } from '../test/support/fleet-stores.js'
import pg from 'pg'

const args = process.argv.slice(2)
const option = (name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`)
  return index === -1 ? fallback : (args[index + 1] ?? fallback)
}
const RUNS = Number(option('runs', '3'))
const SIZES = option('sizes', '100,300,1000').split(',').map(Number)
/** Policies that judge each VM node, as the console's shipped ones do (`--policies ''`: none). */
const POLICIES = option('policies', '').split(',').filter((name) => name !== '')
const STORES = option('stores', 'sqlite,postgres').split(',') as ('sqlite' | 'postgres')[]

function domainXml(index: number, memoryMib: number, generation = 0): string {
  const hex = (n: number): string => n.toString(16).padStart(2, '0')
  return `<domain type='test'><name>vm-${String(index).padStart(5, '0')}</name>
<uuid>00000000-0000-4000-8${generation}00-${String(index).padStart(12, '0')}</uuid>
<memory unit='MiB'>${memoryMib}</memory><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os><devices>
<disk type='file' device='disk'><source file='/var/lib/libvirt/images/vm-${index}.qcow2'/><target dev='vda' bus='virtio'/></disk>
<interface type='network'><mac address='52:54:00:00:${hex(index >> 8)}:${hex(index & 255)}'/><source network='default'/></interface>
</devices></domain>`
}

function nodeXml(size: number, changed: boolean): string {
  const domains: string[] = []
  for (let index = 0; index < size; index++) {
    if (changed && index % 20 === 0) continue
    domains.push(domainXml(index, changed && index % 10 === 5 ? 2048 : 1024))
  }
  if (changed)
    for (let index = 0; index < size / 20; index++) domains.push(domainXml(size + index, 1024, 1))
  return `<node>\n${domains.join('\n')}\n</node>\n`
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN

async function freshStore(
  kind: 'sqlite' | 'postgres',
  dir: string,
): Promise<{ store: FleetStore; drop: () => Promise<void> }> {
  if (kind === 'sqlite')
    return {
      store: await openFleetStore(join(dir, `console-${Date.now()}.db`)),
      drop: async () => {},
    }
  const name = `dw_bench_${Date.now()}`
  const admin = new pg.Client({ connectionString: POSTGRES_URL })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const store = await openFleetStore(POSTGRES_URL.replace(/\/[^/]*$/, `/${name}`))
  return {
    store,
    drop: async () => {
      await store.close()
      const client = new pg.Client({ connectionString: POSTGRES_URL })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}

const dir = mkdtempSync(join(tmpdir(), 'dw-bench-hv-'))
console.log(
  `| store | VMs | first (baseline) | unchanged | 10% reconfigured, 5% deleted, 5% created | changes stored |`,
)
console.log(`|---|---:|---:|---:|---:|---:|`)
for (const kind of STORES) {
  for (const size of SIZES) {
    const times = { first: [] as number[], same: [] as number[], changed: [] as number[] }
    let changes = 0
    for (let run = 0; run < RUNS; run++) {
      const node = join(dir, `node-${size}.xml`)
      writeFileSync(node, nodeXml(size, false))
      const { store, drop } = await freshStore(kind, dir)
      const context = await testConsoleContext(store, POLICIES)
      const hypervisor = await store.addHypervisor(
        { spec: `libvirt:test://${node}`, name: 'bench', intervalSeconds: 900, tags: [] },
        'bench',
        new Date().toISOString(),
      )
      const time = async (): Promise<number> => {
        const start = performance.now()
        const outcome = await context.hypervisors.collect(hypervisor)
        changes = outcome.changes
        return performance.now() - start
      }
      times.first.push(await time())
      times.same.push(await time())
      writeFileSync(node, nodeXml(size, true))
      times.changed.push(await time())
      await drop()
      if (kind === 'sqlite') await store.close()
    }
    const s = (ms: number[]): string => `${(median(ms) / 1000).toFixed(2)} s`
    console.log(
      `| ${kind} | ${size} | ${s(times.first)} | ${s(times.same)} | ${s(times.changed)} | ${changes} |`,
    )
  }
}
rmSync(dir, { recursive: true, force: true })
