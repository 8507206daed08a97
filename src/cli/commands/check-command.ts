// driftwatch check: compare the system with its baseline.
import type { Command } from 'commander'
import { resolveCliConfig, type CliFlags } from '../../config/index.js'
import { EXIT } from '../../errors/index.js'
import { renderCheckJson, renderCheckText } from '../../report/index.js'
import { checkBaseline } from '../../standalone/index.js'
import { openTarget } from '../../target/index.js'
import type { CliIo } from '../cli-io.js'
import { ProgressReporter } from '../progress.js'
import { addScanFlags } from './scan-flags.js'

export function registerCheck(program: Command, io: CliIo, setExit: (code: number) => void): void {
  addScanFlags(program.command('check'))
    .description(
      'compare the system with its baseline; exit 0 when nothing changed, 1 when something did',
    )
    .action(async (flags: CliFlags) => {
      const config = resolveCliConfig(flags, io.env)
      const progress = new ProgressReporter(io.stderr, config.quiet)
      const report = await checkBaseline({
        db: config.db,
        key: config.key,
        target: openTarget({ root: config.root }),
        rulesFile: config.rulesFile,
        threads: config.threads,
        onProgress: progress.update,
      })
      progress.finish()
      io.stdout.write(config.format === 'json' ? renderCheckJson(report) : renderCheckText(report))
      setExit(report.changes.length === 0 ? EXIT.ok : EXIT.changesFound)
    })
}
