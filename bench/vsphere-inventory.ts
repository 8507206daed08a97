// vsphere-inventory.ts: how long the vSphere connector takes to inventory a vCenter as it grows
// (issue 7: inventory of 1,000 VMs completes quickly; how it grows). Each size gets its own vcsim
// (built here from Debian's govmomi sources); each figure is the median of --runs inventories
// after one warm-up. With --pyvmomi, Debian's python3-pyvmomi retrieves the same properties of
// the same objects through the same ContainerView in the same run, alternating with driftwatch:
// the client everyone else would use, as a baseline.
//
// Usage: node --import tsx bench/vsphere-inventory.ts [--runs 7] [--vms 100,500,1000] [--pyvmomi]
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { VsphereConnector } from '../src/hypervisor/vsphere/index.js'
import { startVcsim } from '../test/support/vcsim.js'

const args = process.argv.slice(2)
const valueOf = (name: string): string | undefined =>
  args.includes(name) ? args[args.indexOf(name) + 1] : undefined
const runs = Number(valueOf('--runs') ?? 7)
const sizes = (valueOf('--vms') ?? '100,500,1000').split(',').map(Number)
const withPyvmomi = args.includes('--pyvmomi')
const PYVMOMI_SCRIPT = fileURLToPath(new URL('vsphere-inventory-pyvmomi.py', import.meta.url))

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

interface Row {
  vms: number
  elements: number
  driftwatchMs: number
  driftwatchCpuMs: number
  pyvmomiMs: number | undefined
}

const rows: Row[] = []
for (const vms of sizes) {
  // One cluster of 3 hosts, no standalone host: every VM is in the cluster's one resource pool.
  const vcsim = await startVcsim({
    clusters: 1,
    hostsPerCluster: 3,
    standaloneHosts: 0,
    vmsPerPool: vms,
  })
  const connector = new VsphereConnector({
    endpoint: new URL(vcsim.url),
    userName: 'bench',
    password: 'bench',
    trust: { kind: 'fingerprint', sha256: vcsim.fingerprint },
  })
  const wall: number[] = []
  const cpu: number[] = []
  const pyvmomi: number[] = []
  let elements = 0
  const timePyvmomi = (): number =>
    Number(
      execFileSync('/usr/bin/python3', [PYVMOMI_SCRIPT, vcsim.url], { encoding: 'utf8' }).trim(),
    )
  const warmUp = await connector.inventory()
  if (warmUp.vms.length !== vms) throw new Error(`expected ${vms} VMs, read ${warmUp.vms.length}`)
  if (withPyvmomi) timePyvmomi()
  for (let run = 0; run < runs; run++) {
    const cpuBefore = process.cpuUsage()
    const started = performance.now()
    const inventory = await connector.inventory()
    wall.push(performance.now() - started)
    const used = process.cpuUsage(cpuBefore)
    cpu.push((used.user + used.system) / 1000)
    elements =
      inventory.elements.length + inventory.vms.reduce((n, vm) => n + vm.elements.length, 0)
    if (withPyvmomi) pyvmomi.push(timePyvmomi())
  }
  await connector.close()
  await vcsim.stop()
  rows.push({
    vms,
    elements,
    driftwatchMs: median(wall),
    driftwatchCpuMs: median(cpu),
    pyvmomiMs: withPyvmomi ? median(pyvmomi) : undefined,
  })
  console.error(`${vms} VMs done`)
}

console.log(
  '| VMs | elements | driftwatch inventory, wall (median) | of which driftwatch CPU | pyvmomi, same properties |',
)
console.log('|---:|---:|---:|---:|---:|')
for (const row of rows) {
  console.log(
    `| ${row.vms} | ${row.elements} | ${Math.round(row.driftwatchMs)} ms | ${Math.round(row.driftwatchCpuMs)} ms | ${
      row.pyvmomiMs === undefined ? '—' : `${Math.round(row.pyvmomiMs)} ms`
    } |`,
  )
}
