// Configuration flows one way: flags and environment → one zod schema → a frozen ResolvedConfig.
// This is the only place that reads process.env.
import { userInfo } from 'node:os'
import { readFileSync } from 'node:fs'
import { z } from 'zod'
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

const configSchema = z.object({
  db: z.string({ error: 'no database: use --db FILE (or set DRIFTWATCH_DB)' }).min(1),
  keyFile: z.string().min(1),
  passphrase: z.string().optional(),
  root: z.string().min(1).optional(),
  rulesFile: z.string().min(1).optional(),
  format: z.enum(['text', 'json'], { error: '--format must be text or json' }),
  quiet: z.boolean(),
  threads: z.coerce.number().int().min(1).max(64).optional(),
  operator: z.string().min(1),
})

export function resolveCliConfig(
  flags: CliFlags,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedConfig {
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
  const parsed = configSchema.safeParse({
    db: flags.db ?? env['DRIFTWATCH_DB'],
    keyFile: flags.key ?? env['DRIFTWATCH_KEY'] ?? DEFAULTS.keyFile(env['XDG_CONFIG_HOME']),
    passphrase: passphrase === '' ? undefined : passphrase,
    root: flags.root,
    rulesFile: flags.rules,
    format: flags.format ?? DEFAULTS.format,
    quiet: flags.quiet ?? false,
    threads: flags.threads,
    operator: operatorName(env),
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new DriftwatchError('DW_ERR_USAGE', issue?.message ?? 'invalid options')
  }
  const config = parsed.data
  if (flags.key !== undefined && config.passphrase !== undefined) {
    throw new DriftwatchError('DW_ERR_USAGE', 'use either --key or a passphrase, not both')
  }
  return Object.freeze({
    db: config.db,
    key:
      config.passphrase === undefined
        ? { kind: 'file', path: config.keyFile }
        : { kind: 'passphrase', passphrase: config.passphrase },
    root: config.root,
    rulesFile: config.rulesFile,
    format: config.format,
    quiet: config.quiet,
    threads: config.threads,
    operator: config.operator,
  } satisfies ResolvedConfig)
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
