// driftwatch privileged: who can act as root on a system and how, the ghost accounts, and
// whether the number of administrators is within bounds. No baseline, no database.
import type { Command } from 'commander'
import type { AdminBounds } from '../../collect/index.js'
import { DEFAULTS } from '../../config/index.js'
import { DriftwatchError, EXIT } from '../../errors/index.js'
import { renderPrivilegedJson, renderPrivilegedText } from '../../report/index.js'
import { assessPrivilegedAccess } from '../../standalone/index.js'
import { openTarget } from '../../target/index.js'
import type { CliIo } from '../cli-io.js'

interface PrivilegedFlags {
  readonly root?: string | undefined
  readonly format?: string | undefined
  readonly minAdmins?: string | undefined
  readonly maxAdmins?: string | undefined
}

interface PrivilegedOptions {
  readonly root: string | undefined
  readonly format: 'text' | 'json'
  readonly bounds: AdminBounds
}

export function registerPrivileged(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  program
    .command('privileged')
    .description(
      'list who can act as root and how; exit 1 on a ghost account or too few or too many admins',
    )
    .option('--root <dir>', 'a root filesystem held in this directory instead of the live host')
    .option('--format <format>', 'text or json', 'text')
    .option(
      '--min-admins <n>',
      `fewer administrators is a finding (default ${DEFAULTS.adminBounds.min})`,
    )
    .option('--max-admins <n>', `more is a finding (default ${DEFAULTS.adminBounds.max})`)
    .action(async (flags: PrivilegedFlags) => {
      const options = resolvePrivilegedOptions(flags)
      const assessment = await assessPrivilegedAccess({
        target: openTarget({ root: options.root }),
        bounds: options.bounds,
      })
      io.stdout.write(
        options.format === 'json'
          ? renderPrivilegedJson(assessment)
          : renderPrivilegedText(assessment),
      )
      // Status 1, as for check's changes: something a security engineer has to look at.
      setExit(assessment.clean ? EXIT.ok : EXIT.changesFound)
    })
}

/** This command needs no database, so it validates its few flags itself. */
function resolvePrivilegedOptions(flags: PrivilegedFlags): PrivilegedOptions {
  if (flags.root !== undefined && flags.root.trim() === '') throw usage('--root must not be empty')
  const format = flags.format ?? 'text'
  if (format !== 'text' && format !== 'json') throw usage('--format must be text or json')
  const min = adminCount(flags.minAdmins, '--min-admins') ?? DEFAULTS.adminBounds.min
  const max = adminCount(flags.maxAdmins, '--max-admins') ?? DEFAULTS.adminBounds.max
  if (min > max) throw usage(`--min-admins (${min}) must not be more than --max-admins (${max})`)
  return { root: flags.root, format, bounds: { min, max } }
}

function adminCount(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d{1,6}$/.test(value)) throw usage(`${flag} must be a whole number from 0 to 999999`)
  return Number(value)
}

function usage(message: string): DriftwatchError {
  return new DriftwatchError('DW_ERR_USAGE', message)
}
