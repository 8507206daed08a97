// driftwatch agent: enroll with the console, then collect and push on a schedule (docs/agent.md).
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Command } from 'commander'
import { DriftwatchError, EXIT } from '../../errors/index.js'
import type { CliIo } from '../cli-io.js'

/**
 * Where the agent keeps its state unless --state says otherwise. Kept here rather than in
 * config/defaults.ts until the console's configuration settles (see docs/agent.md).
 */
export function defaultAgentStateDir(env: NodeJS.ProcessEnv, isRoot: boolean): string {
  if (isRoot) return '/var/lib/driftwatch/agent'
  const stateHome = env['XDG_STATE_HOME'] ?? join(homedir(), '.local', 'state')
  return join(stateHome, 'driftwatch', 'agent')
}

interface AgentFlags {
  readonly console?: string
  readonly enroll?: string
  readonly state?: string
  readonly root?: string
  readonly interval?: string
  readonly threads?: string
  readonly once?: boolean
}

export function registerAgent(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('agent')
    .description('enroll with a console, then collect and push snapshots on a schedule')
    .option('--console <url>', "the console's URL (needed to enroll; later the enrolled one)")
    .option('--enroll <token>', 'enrollment token dwe_… (or DRIFTWATCH_ENROLL_TOKEN)')
    .option('--state <dir>', 'state directory (default /var/lib/driftwatch/agent as root)')
    .option('--root <dir>', 'a root filesystem held in this directory instead of the live host')
    .option('--interval <seconds>', "seconds between collections (default: the console's spec)")
    .option('--threads <n>', 'hashing threads for files, the main thread included')
    .option('--once', 'collect and push once, then exit (3 when the console was not reached)')
    .action(async (flags: AgentFlags) => {
      const options = {
        console: nonEmpty(flags.console, '--console'),
        enrollmentToken: nonEmpty(flags.enroll ?? io.env['DRIFTWATCH_ENROLL_TOKEN'], '--enroll'),
        stateDir:
          nonEmpty(flags.state, '--state') ??
          defaultAgentStateDir(io.env, process.getuid?.() === 0),
        root: nonEmpty(flags.root, '--root'),
        intervalSeconds: wholeNumber(flags.interval, '--interval', 1, 7 * 24 * 3600),
        threads: wholeNumber(flags.threads, '--threads', 1, 64),
      }
      // Loaded here: the other commands need none of the network code.
      const { runAgent, runAgentOnce } = await import('../../agent/index.js')
      if (flags.once === true) {
        const result = await runAgentOnce(options, io)
        setExit(result.delivered ? EXIT.ok : EXIT.failure)
        return
      }
      const stop = new AbortController()
      const onSignal = (): void => stop.abort()
      process.once('SIGTERM', onSignal)
      process.once('SIGINT', onSignal)
      try {
        await runAgent(options, { ...io, signal: stop.signal })
      } finally {
        process.off('SIGTERM', onSignal)
        process.off('SIGINT', onSignal)
      }
      io.stderr.write('agent stopped; the spool is kept\n')
      setExit(EXIT.ok)
    })
}

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && value.trim() === '') {
    throw new DriftwatchError('DW_ERR_USAGE', `${flag} must not be empty`)
  }
  return value
}

function wholeNumber(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      `${flag} must be a whole number from ${min} to ${max}`,
    )
  }
  return number
}
