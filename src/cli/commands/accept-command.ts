// driftwatch accept: promote what the last check saw into the baseline.
import type { Command } from 'commander'
import { resolveCliConfig, type CliFlags } from '../../config/index.js'
import { EXIT } from '../../errors/index.js'
import { plural } from '../../report/index.js'
import { acceptChanges } from '../../standalone/index.js'
import type { CliIo } from '../cli-io.js'
import { addStoreFlags } from './scan-flags.js'

export function registerAccept(program: Command, io: CliIo, setExit: (code: number) => void): void {
  addStoreFlags(program.command('accept'))
    .description(
      'promote the changes the last check found (all, or the named elements) into the baseline',
    )
    .argument(
      '[keys...]',
      'element keys to accept, e.g. file:/etc/motd (default: every change of the last check)',
    )
    .requiredOption(
      '--reason <text>',
      'why these changes are accepted (recorded, with who accepted them)',
    )
    .action((keys: string[], flags: CliFlags & { reason: string }) => {
      const config = resolveCliConfig(flags, io.env)
      const result = acceptChanges({
        db: config.db,
        key: config.key,
        keys,
        reason: flags.reason,
        who: config.operator,
      })
      if (config.format === 'json') {
        io.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
      } else {
        io.stdout.write(
          `Accepted ${plural(result.accepted.length, 'change')} from check #${result.checkId} ` +
            `as ${config.operator}; baseline is now v${result.baselineVersion}` +
            (result.remaining > 0
              ? ` (${plural(result.remaining, 'change')} of that check not accepted).\n`
              : '.\n'),
        )
      }
      setExit(EXIT.ok)
    })
}
