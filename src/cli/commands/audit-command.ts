// driftwatch audit verify: check the console's audit log for edited or deleted entries.
import type { Command } from 'commander'
import type { ConsoleFlags } from '../../config/index.js'
import { EXIT } from '../../errors/index.js'
import type { CliIo } from '../cli-io.js'
import { withConsoleStore } from './console-store.js'

export function registerAudit(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const audit = program.command('audit').description("the console's audit log")
  audit
    .command('verify')
    .description('check the hash chain of the audit log, straight from the database')
    .option('--data <dir>', "the console's data directory (default .driftwatch/console)")
    .option('--db <url>', 'postgres://… or a SQLite file (default DATA/console.db)')
    .action(async (flags: ConsoleFlags) => {
      const { verifyAuditLog } = await import('../../console/index.js')
      // Verifying never creates: a wrong path is an error, not an empty log that looks intact.
      const verified = await withConsoleStore(flags, io, verifyAuditLog)
      io.stdout.write(
        `audit log intact: ${verified.entries} entries, newest hash ${verified.headHash}\n`,
      )
      setExit(EXIT.ok)
    })
  audit.exitOverride()
}
