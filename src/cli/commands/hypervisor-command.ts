// driftwatch hypervisor add|list|remove: the hypervisors the console collects without an agent,
// registered straight in the console's database (a running console picks them up within a minute).
import type { Command } from 'commander'
import type { ConsoleFlags } from '../../config/index.js'
import { DriftwatchError, EXIT } from '../../errors/index.js'
import type { CliIo } from '../cli-io.js'
import { CONSOLE_STORE_FLAGS, withConsoleStore } from './console-store.js'

export function registerHypervisor(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  const hypervisor = program
    .command('hypervisor')
    .description('hypervisors the console collects without an agent (libvirt, VMware vSphere)')
  const add = hypervisor
    .command('add')
    .description(
      'collect a hypervisor: add libvirt qemu+ssh://kvm1/system, add vsphere https://vcenter/sdk',
    )
    .argument('<kind>', 'libvirt or vsphere')
    .argument(
      '<uri>',
      'the libvirt URI or the vCenter/ESXi URL (no password: see docs/hypervisors.md)',
    )
    .option('--name <name>', "its node's name (default: the URI's host)")
    .option('--interval <seconds>', 'seconds between collections (default 900, at least 60)')
    .option('--tag <tag...>', "tags of its node (group:NAME makes it a ticket scope's group)")
  const list = hypervisor
    .command('list')
    .description('the hypervisors collected and how their last collection went')
  const remove = hypervisor
    .command('remove')
    .description("stop collecting one; its node and its VMs' nodes are retired, their history kept")
    .argument('<id>', 'its id (hypervisor list)')
  for (const command of [add, list, remove])
    for (const [flag, help] of CONSOLE_STORE_FLAGS) command.option(flag, help)

  add.action(
    async (
      kind: string,
      uri: string,
      flags: ConsoleFlags & { name?: string; interval?: string; tag?: string[] },
    ) => {
      if (kind !== 'libvirt' && kind !== 'vsphere')
        throw new DriftwatchError(
          'DW_ERR_USAGE',
          `hypervisor kind '${kind}': expected libvirt or vsphere`,
        )
      const interval = flags.interval === undefined ? undefined : Number(flags.interval)
      if (interval !== undefined && !Number.isInteger(interval))
        throw new DriftwatchError(
          'DW_ERR_USAGE',
          `--interval '${flags.interval ?? ''}': a number of seconds`,
        )
      const { hypervisorToAdd } = await import('../../console/hypervisor-registration.js')
      const toAdd = hypervisorToAdd(
        { spec: `${kind}:${uri}`, name: flags.name, intervalSeconds: interval, tags: flags.tag },
        'hypervisor',
      )
      const added = await withConsoleStore(flags, io, (store) =>
        store.addHypervisor(toAdd, `cli:${io.env['USER'] ?? 'unknown'}`, new Date().toISOString()),
      )
      io.stdout.write(
        `hypervisor ${added.id} added: ${added.name} (${added.spec}), collected every ${added.intervalSeconds} s\n`,
      )
      setExit(EXIT.ok)
    },
  )
  list.action(async (flags: ConsoleFlags) => {
    const { collectionStatus, collectorName } = await import('../../console/hypervisor-schedule.js')
    const rows = await withConsoleStore(flags, io, async (store) => {
      const statuses = new Map((await store.pollerStatuses()).map((s) => [s.name, s]))
      return (await store.listHypervisors()).map((h) => ({
        ...h,
        ...collectionStatus(statuses.get(collectorName(h))),
      }))
    })
    for (const row of rows) {
      const state =
        row.lastError !== null && row.failures > 0
          ? `FAILING (${row.failures}): ${row.lastError}`
          : row.lastCollectedAt === null
            ? 'not collected yet'
            : `collected ${row.lastCollectedAt}, ${row.vms} VMs`
      io.stdout.write(`${row.id}\t${row.name}\t${row.spec}\t${state}\n`)
    }
    if (rows.length === 0) io.stdout.write('no hypervisors (driftwatch hypervisor add …)\n')
    setExit(EXIT.ok)
  })
  remove.action(async (id: string, flags: ConsoleFlags) => {
    const removed = await withConsoleStore(flags, io, (store) =>
      store.removeHypervisor(
        Number(id),
        `cli:${io.env['USER'] ?? 'unknown'}`,
        new Date().toISOString(),
      ),
    )
    if (!removed) throw new DriftwatchError('DW_ERR_NOT_FOUND', `no hypervisor ${id}`)
    io.stdout.write(`hypervisor ${id} removed\n`)
    setExit(EXIT.ok)
  })
  hypervisor.exitOverride()
}
