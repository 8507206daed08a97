// driftwatch history: past checks and acceptances.
import type { Command } from 'commander'
import { resolveCliConfig, type CliFlags } from '../../config/index.js'
import { DriftwatchError, EXIT } from '../../errors/index.js'
import { formatCount } from '../../report/index.js'
import { readHistory } from '../../standalone/index.js'
import type { CliIo } from '../cli-io.js'
import { addStoreFlags } from './scan-flags.js'

export function registerHistory(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  addStoreFlags(program.command('history'))
    .description('list past checks and acceptances, newest first')
    .option('--limit <n>', 'how many checks to list', '20')
    .action((flags: CliFlags & { limit: string }) => {
      const config = resolveCliConfig(flags, io.env)
      const limit = Number(flags.limit)
      if (!Number.isInteger(limit) || limit < 1) {
        throw new DriftwatchError(
          'DW_ERR_USAGE',
          `--limit must be a whole number of at least 1, not ${flags.limit}`,
        )
      }
      const history = readHistory({ db: config.db, key: config.key, limit })
      if (config.format === 'json') {
        io.stdout.write(`${JSON.stringify(history, null, 2)}\n`)
        setExit(EXIT.ok)
        return
      }
      const lines = [
        `Baseline v${history.baselineVersion}, first taken ${history.createdAt}` +
          (history.verified
            ? ' (signature verified)'
            : ' — NOT VERIFIED: no key at hand, so these records may have been altered'),
        '',
        'Checks:',
      ]
      if (history.checks.length === 0) lines.push('  (none yet)')
      for (const check of history.checks) {
        const { added, removed, modified } = check.summary
        lines.push(
          `  #${check.id}  ${check.startedAt}  baseline v${check.baselineVersion}  ` +
            `${formatCount(added)} added, ${formatCount(removed)} removed, ${formatCount(modified)} modified` +
            (check.acceptedCount > 0 ? `  (${formatCount(check.acceptedCount)} accepted)` : '') +
            (check.notChecked.length > 0
              ? `  ${formatCount(check.notChecked.length)} not checked`
              : '') +
            (check.record === 'unsigned' ? '  [unsigned: ran with the public key]' : '') +
            (check.record === 'altered' ? '  [ALTERED after the check signed it]' : ''),
        )
      }
      lines.push('', 'Acceptances:')
      if (history.acceptances.length === 0) lines.push('  (none yet)')
      for (const acceptance of history.acceptances) {
        lines.push(
          `  ${acceptance.at}  ${acceptance.who}  → v${acceptance.baselineVersion}  ` +
            `${formatCount(acceptance.keys.length)} element(s) from check #${acceptance.checkId}: ${acceptance.reason}`,
        )
      }
      io.stdout.write(`${lines.join('\n')}\n`)
      setExit(EXIT.ok)
    })
}
