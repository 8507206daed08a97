// driftwatch serve: run the console — the API that agents push to and people query.
import type { Command } from 'commander'
import { loadConsoleConfigModule, type ConsoleFlags } from '../../config/index.js'
import { EXIT } from '../../errors/index.js'
import type { CliIo } from '../cli-io.js'

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

export function registerServe(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description('run the console: agents push snapshots to it; people and tools use its API')
    .option('--port <n>', 'port to listen on (default 7150; 0 picks a free one)')
    .option('--host <address>', 'address to listen on (default 127.0.0.1; others need --tls)')
    .option(
      '--data <dir>',
      'data directory: SQLite database, TLS keys (default .driftwatch/console)',
    )
    .option('--db <url>', 'postgres://… for PostgreSQL, or a SQLite file (default DATA/console.db)')
    .option('--tls', "serve HTTPS with the console's own CA (agents pin it at enrollment)")
    .option('--tls-name <name>', 'a DNS name or address agents reach the console by', collect)
    .option(
      '--policy <id-or-file>',
      'a policy to judge nodes by (default: every shipped one)',
      collect,
    )
    .option('--rules <file>', 'file-integrity rules agents collect with (default: built-in)')
    .option('--interval <seconds>', 'how often agents collect (default 3600)')
    .option(
      '--max-body <bytes>',
      'largest snapshot accepted, decompressed, in bytes (default 256 MiB)',
    )
    .option(
      '--tickets <file>',
      'poll ServiceNow or Jira for change tickets, as this YAML file says (docs/tickets.md)',
    )
    .action(async (flags: ConsoleFlags) => {
      const { resolveConsoleConfig } = await loadConsoleConfigModule()
      const config = resolveConsoleConfig(flags, io.env)
      const { startConsole } = await import('../../console/index.js')
      const running = await startConsole(config)
      io.stdout.write(`driftwatch console listening on ${running.url}\n`)
      io.stdout.write(`API reference: ${running.url}/docs\n`)
      if (running.caFingerprint !== undefined) {
        io.stdout.write(`CA fingerprint (agents pin it): ${running.caFingerprint}\n`)
      }
      if (running.firstAdmin !== undefined) {
        io.stdout.write(
          running.firstAdmin.generatedPassword === undefined
            ? `administrator "${running.firstAdmin.name}" created with DRIFTWATCH_ADMIN_PASSWORD\n`
            : `administrator "${running.firstAdmin.name}", password ${running.firstAdmin.generatedPassword} (shown once: store it now)\n`,
        )
      }
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop)
          process.off('SIGTERM', stop)
          resolve()
        }
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
      })
      await running.close()
      setExit(EXIT.ok)
    })
}
