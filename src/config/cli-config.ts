// Configuration flows one way: flags and environment → validation → a frozen ResolvedConfig.
// This is the only place that reads process.env. The handful of flags is validated by hand rather
// than with zod: the single-host command is measured against AIDE on start-up time and memory,
// and loading zod costs ~50 ms and ~16 MB (docs/architecture.md).
import { readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { DriftwatchError } from '../errors/index.js'
import type { KeySource } from '../standalone/index.js'
import { DEFAULTS } from './defaults.js'

export interface CliFlags {
  readonly db?: string | undefined
  readonly key?: string | undefined
  readonly passphraseFile?: string | undefined
  readonly root?: string | undefined
  readonly rules?: string | undefined
  readonly format?: string | undefined
  readonly quiet?: boolean | undefined
  readonly threads?: string | undefined
}

export interface ResolvedConfig {
  /** The database; '' for a command that needs none when none was given. */
  readonly db: string
  readonly key: KeySource
  readonly root: string | undefined
  readonly rulesFile: string | undefined
  readonly format: 'text' | 'json'
  readonly quiet: boolean
  readonly threads: number | undefined
  /** Who runs the command, as recorded with acceptances: the sudo user where there is one. */
  readonly operator: string
}

function usage(message: string): DriftwatchError {
  return new DriftwatchError('DW_ERR_USAGE', message)
}

function nonEmpty(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && value.trim() === '') throw usage(`${flag} must not be empty`)
  return value
}

/**
 * @param options.needsDatabase false for commands that use no database (`snapshot`, `key`):
 *   then `db` is '' when none is given.
 */
export function resolveCliConfig(
  flags: CliFlags,
  env: NodeJS.ProcessEnv = process.env,
  options: { needsDatabase?: boolean } = {},
): ResolvedConfig {
  const db =
    nonEmpty(flags.db ?? env['DRIFTWATCH_DB'], '--db') ??
    (options.needsDatabase === false ? '' : undefined)
  if (db === undefined) throw usage('no database: use --db FILE (or set DRIFTWATCH_DB)')
  const format = flags.format ?? DEFAULTS.format
  if (format !== 'text' && format !== 'json') throw usage('--format must be text or json')
  let threads: number | undefined
  if (flags.threads !== undefined) {
    threads = Number(flags.threads)
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
      throw usage('--threads must be a whole number from 1 to 64')
    }
  }
  const passphrase = readPassphrase(flags, env)
  if (flags.key !== undefined && passphrase !== undefined) {
    throw usage('use either --key or a passphrase, not both')
  }
  const keyFile =
    nonEmpty(flags.key ?? env['DRIFTWATCH_KEY'], '--key') ??
    DEFAULTS.keyFile(env['XDG_CONFIG_HOME'])
  return Object.freeze({
    db,
    key:
      passphrase === undefined
        ? { kind: 'file', path: keyFile }
        : { kind: 'passphrase', passphrase },
    root: nonEmpty(flags.root, '--root'),
    rulesFile: nonEmpty(flags.rules, '--rules'),
    format,
    quiet: flags.quiet ?? false,
    threads,
    operator: operatorName(env),
  } satisfies ResolvedConfig)
}

function readPassphrase(flags: CliFlags, env: NodeJS.ProcessEnv): string | undefined {
  let passphrase = env['DRIFTWATCH_PASSPHRASE']
  if (flags.passphraseFile !== undefined) {
    try {
      passphrase = readFileSync(flags.passphraseFile, 'utf8').replace(/\r?\n$/, '')
    } catch (error) {
      throw new DriftwatchError(
        'DW_ERR_KEY_MISSING',
        `--passphrase-file: ${(error as Error).message}`,
      )
    }
  }
  return passphrase === '' ? undefined : passphrase
}

function operatorName(env: NodeJS.ProcessEnv): string {
  let user: string
  try {
    user = userInfo().username
  } catch {
    user = env['USER'] ?? `uid ${process.getuid?.() ?? '?'}`
  }
  const sudoUser = env['SUDO_USER']
  return sudoUser !== undefined && sudoUser !== user ? `${sudoUser} (as ${user} via sudo)` : user
}
