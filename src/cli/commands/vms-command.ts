// driftwatch vms: every VM the console's hypervisors report, and which of them no agent watches.
import type { Command } from 'commander'
import type { ConsoleFlags } from '../../config/index.js'
import { DriftwatchError, EXIT } from '../../errors/index.js'
import type { CliIo } from '../cli-io.js'
import { withConsoleStore } from './console-store.js'

export function registerVms(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('vms')
    .description(
      'every VM across the hypervisors: monitored or not, tags, last change and its verdict',
    )
    .option('--unmonitored', 'only VMs no enrolled agent reports from')
    .option('--hypervisor <name>', "only this hypervisor's VMs")
    .option('--format <format>', 'text or json', 'text')
    .option('--data <dir>', "the console's data directory (default .driftwatch/console)")
    .option('--db <url>', 'postgres://… or a SQLite file (default DATA/console.db)')
    .action(
      async (
        flags: ConsoleFlags & { unmonitored?: boolean; hypervisor?: string; format: string },
      ) => {
        if (flags.format !== 'text' && flags.format !== 'json')
          throw new DriftwatchError('DW_ERR_USAGE', `--format '${flags.format}': text or json`)
        const { listVms } = await import('../../console/vm-inventory.js')
        const vms = await withConsoleStore(flags, io, (store) =>
          listVms(store, new Date().toISOString(), {
            ...(flags.unmonitored === true ? { monitored: false } : {}),
            ...(flags.hypervisor === undefined ? {} : { hypervisor: flags.hypervisor }),
          }),
        )
        if (flags.format === 'json') {
          io.stdout.write(`${JSON.stringify(vms, null, 2)}\n`)
        } else {
          io.stdout.write('HYPERVISOR\tVM\tSTATE\tAGENT\tOWNER/SERVICE\tLAST CHANGE\n')
          for (const vm of vms) {
            const last =
              vm.lastChange === null
                ? '-'
                : `${vm.lastChange.lifecycle?.join(',') ?? vm.lastChange.kind} ${vm.lastChange.verdict ?? 'unjudged'}${vm.lastChange.performedBy === null ? '' : ` by ${vm.lastChange.performedBy}`}`
            const tags = `${vm.hasOwner ? 'owner' : 'NO OWNER'}/${vm.hasService ? 'service' : 'NO SERVICE'}`
            const expired =
              vm.runningAfterTicket === null
                ? ''
                : `\tRUNNING AFTER ${vm.runningAfterTicket.ticket} ENDED ${vm.runningAfterTicket.ended}`
            io.stdout.write(
              `${vm.hypervisor}\t${vm.name}\t${vm.state}\t${vm.monitored ? 'yes' : 'NONE'}\t${tags}\t${last}${expired}\n`,
            )
          }
          const unmonitored = vms.filter((vm) => !vm.monitored && vm.state !== 'deleted').length
          io.stdout.write(`${vms.length} VMs, ${unmonitored} that no agent monitors\n`)
        }
        setExit(EXIT.ok)
      },
    )
}
