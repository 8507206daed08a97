// driftwatch privileged: who can act as root on a system and how, the ghost accounts, and
// whether the number of administrators is within bounds. No baseline, no database.
import type { Command } from 'commander'
import {
  accountsCollector,
  analyzePrivilegedAccess,
  DEFAULT_ADMIN_BOUNDS,
  type AdminBounds,
  type PrivilegedAccess,
} from '../../collect/system/accounts/index.js'
import { LocalCommandRunner } from '../../collect/system/local-command-runner.js'
import type { CollectionProblem } from '../../collect/system/system-collector.js'
import { DriftwatchError, EXIT } from '../../errors/index.js'
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
      `fewer administrators is a finding (default ${DEFAULT_ADMIN_BOUNDS.min})`,
    )
    .option('--max-admins <n>', `more is a finding (default ${DEFAULT_ADMIN_BOUNDS.max})`)
    .action((flags: PrivilegedFlags) => {
      const options = resolvePrivilegedOptions(flags)
      const target = openTarget({ root: options.root })
      const collected = accountsCollector.collect({ target, commands: new LocalCommandRunner() })
      const access = analyzePrivilegedAccess(collected.elements, options.bounds)
      io.stdout.write(
        options.format === 'json'
          ? privilegedJson(access, collected.problems)
          : privilegedText(target.description, access, collected.problems),
      )
      const clean = access.ghosts.length === 0 && access.admins.verdict === 'ok'
      // Status 1, as for check's changes: something a security engineer has to look at.
      setExit(clean ? EXIT.ok : EXIT.changesFound)
    })
}

/** This command needs no database, so it validates its few flags itself. */
function resolvePrivilegedOptions(flags: PrivilegedFlags): PrivilegedOptions {
  if (flags.root !== undefined && flags.root.trim() === '') throw usage('--root must not be empty')
  const format = flags.format ?? 'text'
  if (format !== 'text' && format !== 'json') throw usage('--format must be text or json')
  const min = adminCount(flags.minAdmins, '--min-admins') ?? DEFAULT_ADMIN_BOUNDS.min
  const max = adminCount(flags.maxAdmins, '--max-admins') ?? DEFAULT_ADMIN_BOUNDS.max
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

function privilegedJson(access: PrivilegedAccess, problems: readonly CollectionProblem[]): string {
  return `${JSON.stringify({ ...access, problems }, null, 2)}\n`
}

function privilegedText(
  targetDescription: string,
  access: PrivilegedAccess,
  problems: readonly CollectionProblem[],
): string {
  const lines = [`driftwatch privileged — ${targetDescription}`, '']
  lines.push(`Who can act as root (${access.identities.length})`)
  for (const identity of access.identities) {
    const admin = identity.countsAsAdmin ? '  [administrator]' : ''
    lines.push(`  ${identity.name}  via ${identity.via.join(', ')}${admin}`)
    for (const evidence of identity.evidence) lines.push(`      ${evidence}`)
  }
  lines.push('')
  if (access.ghosts.length === 0) lines.push('Ghost accounts: none')
  else {
    lines.push(`Ghost accounts (${access.ghosts.length})`)
    for (const ghost of access.ghosts) {
      lines.push(`  ! ${ghost.account}: ${ghost.finding} (${ghost.detail})`)
    }
  }
  lines.push('')
  const { count, min, max, verdict } = access.admins
  const names = access.identities.filter((identity) => identity.countsAsAdmin)
  const listed = names.length === 0 ? '' : ` (${names.map((identity) => identity.name).join(', ')})`
  const judged =
    verdict === 'ok'
      ? `within ${min} to ${max}`
      : verdict === 'too-few'
        ? `too few: at least ${min} expected`
        : `too many: at most ${max} expected`
  lines.push(`Administrators: ${count}${listed} — ${judged}`)
  if (problems.length > 0) {
    lines.push('', `Problems (${problems.length})`)
    for (const problem of problems) {
      lines.push(`  ! ${problem.path}: ${problem.reason} (${problem.detail})`)
    }
  }
  return `${lines.join('\n')}\n`
}
