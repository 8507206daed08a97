// driftwatch init: take the baseline.
import type { Command } from 'commander'
import { resolveCliConfig, type CliFlags } from '../../config/index.js'
import { EXIT } from '../../errors/index.js'
import { formatBytes, plural } from '../../report/index.js'
import { initBaseline } from '../../standalone/index.js'
import { openTarget } from '../../target/index.js'
import type { CliIo } from '../cli-io.js'
import { ProgressReporter } from '../progress.js'
import { addScanFlags } from './scan-flags.js'

export function registerInit(program: Command, io: CliIo, setExit: (code: number) => void): void {
  addScanFlags(program.command('init'))
    .description('scan the system and store its state as the signed baseline')
    .action(async (flags: CliFlags) => {
      const config = resolveCliConfig(flags, io.env)
      const progress = new ProgressReporter(io.stderr, config.quiet)
      const result = await initBaseline({
        db: config.db,
        key: config.key,
        target: openTarget({ root: config.root }),
        rulesFile: config.rulesFile,
        threads: config.threads,
        onProgress: progress.update,
      })
      progress.finish()
      if (config.format === 'json') {
        io.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
      } else {
        io.stdout.write(
          `Baseline created in ${config.db}: ${plural(result.elements, 'element')}, ` +
            `${formatBytes(result.bytes)} hashed, in ${result.seconds.toFixed(1)} s.\n` +
            `Signed with key ${result.keyFingerprint}` +
            (result.createdKeyFile === undefined
              ? '.\n'
              : ` — a new key was written to ${result.createdKeyFile}; keep it off this host (see docs/signing.md).\n`),
        )
        if (result.elements === 0) {
          io.stderr.write(
            'driftwatch: warning: the rules selected nothing: the baseline is empty\n',
          )
        }
        if (result.notChecked.length > 0) {
          io.stdout.write(`Not checked (${result.notChecked.length}):\n`)
          for (const item of result.notChecked)
            io.stdout.write(`  ! ${item.path}: ${item.reason} (${item.detail})\n`)
        }
      }
      setExit(EXIT.ok)
    })
}
