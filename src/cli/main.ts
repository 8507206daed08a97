// The driftwatch command line: parse flags, call one function of the programmatic API, render.
// Errors are translated here, once: message on stderr, exit status from the error catalogue.
import { Command, CommanderError } from 'commander'
import { DriftwatchError, EXIT } from '../errors/index.js'
import type { CliIo } from './cli-io.js'
import { registerAccept } from './commands/accept-command.js'
import { registerAgent } from './commands/agent-command.js'
import { registerAssess } from './commands/assess-command.js'
import { registerAudit } from './commands/audit-command.js'
import { registerCheck } from './commands/check-command.js'
import { registerEvidence } from './commands/evidence-command.js'
import { registerHistory } from './commands/history-command.js'
import { registerHypervisor } from './commands/hypervisor-command.js'
import { registerInit } from './commands/init-command.js'
import { registerKey } from './commands/key-command.js'
import { registerPrivileged } from './commands/privileged-command.js'
import { registerServe } from './commands/serve-command.js'
import { registerSnapshot } from './commands/snapshot-command.js'
import { registerVms } from './commands/vms-command.js'

export const VERSION = '0.1.0'

/**
 * Runs one driftwatch command and returns its exit status.
 *
 * @example await runCli(['check', '--db', 'host.db'], { stdout, stderr, env: process.env })
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok
  const setExit = (code: number): void => {
    exitCode = code
  }
  const program = new Command('driftwatch')
    .description(
      'configuration control: baseline a system, detect every change, prove a trusted state',
    )
    .version(VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run driftwatch help for the commands)')
  registerInit(program, io, setExit)
  registerCheck(program, io, setExit)
  registerAccept(program, io, setExit)
  registerHistory(program, io, setExit)
  registerKey(program, io, setExit)
  registerPrivileged(program, io, setExit)
  registerSnapshot(program, io, setExit)
  registerAssess(program, io, setExit)
  registerAgent(program, io, setExit)
  registerServe(program, io, setExit)
  registerAudit(program, io, setExit)
  registerEvidence(program, io, setExit)
  registerHypervisor(program, io, setExit)
  registerVms(program, io, setExit)
  for (const command of program.commands) command.exitOverride()
  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage
    }
    if (error instanceof DriftwatchError) {
      io.stderr.write(`driftwatch: ${error.message} [${error.code}]\n`)
      return error.definition.exitCode
    }
    io.stderr.write(
      `driftwatch: internal error: ${(error as Error).stack ?? String(error)} [DW_ERR_INTERNAL]\n`,
    )
    return EXIT.failure
  }
}
