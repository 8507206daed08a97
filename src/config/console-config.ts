// The console's configuration: flags and environment → one zod schema → a frozen
// ResolvedConsoleConfig. The only place the console's settings are read from process.env.
import { isAbsolute, join, resolve } from 'node:path'
import { z } from 'zod'
import { DriftwatchError } from '../errors/index.js'
import { DEFAULTS } from './defaults.js'
import { readTicketSources, type TicketSource } from './ticket-sources-file.js'

export interface ConsoleFlags {
  readonly port?: string | undefined
  readonly host?: string | undefined
  readonly data?: string | undefined
  readonly db?: string | undefined
  readonly tls?: boolean | undefined
  readonly tlsName?: readonly string[] | undefined
  readonly policy?: readonly string[] | undefined
  readonly rules?: string | undefined
  readonly interval?: string | undefined
  readonly maxBody?: string | undefined
  readonly clockSkew?: string | undefined
  readonly autoPromote?: boolean | undefined
  /** A YAML file naming the ticket systems to poll (docs/tickets.md). */
  readonly tickets?: string | undefined
}

const schema = z.strictObject({
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  database: z.string().min(1),
  tls: z.boolean(),
  tlsNames: z.array(z.string().min(1)),
  policies: z.array(z.string().min(1)),
  rulesFile: z.string().min(1).optional(),
  intervalSeconds: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 24 * 3600),
  bodyLimit: z.coerce
    .number()
    .int()
    .min(1024)
    .max(2 ** 31),
  clockSkewMinutes: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  sessionHours: z.number().int().min(1),
  autoPromote: z.boolean(),
  admin: z.strictObject({ name: z.string().min(1), password: z.string().min(1).optional() }),
  /** Checked by the tickets file's own schema; secrets included. */
  ticketSources: z.array(z.custom<TicketSource>()),
})

export type ResolvedConsoleConfig = Readonly<z.output<typeof schema>>

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.')
}

/**
 * @example resolveConsoleConfig({ port: '8443', tls: true }, process.env)
 */
export function resolveConsoleConfig(
  flags: ConsoleFlags,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedConsoleConfig {
  const dataDir = resolve(flags.data ?? env['DRIFTWATCH_DATA'] ?? DEFAULTS.console.dataDir)
  const database = flags.db ?? env['DRIFTWATCH_DB_URL'] ?? join(dataDir, 'console.db')
  const host = flags.host ?? DEFAULTS.console.host
  const tls = flags.tls ?? false
  const parsed = schema.safeParse({
    port: flags.port ?? DEFAULTS.console.port,
    host,
    dataDir,
    database:
      /^postgres(ql)?:\/\//.test(database) || isAbsolute(database) ? database : resolve(database),
    tls,
    tlsNames: [...(flags.tlsName ?? [])],
    policies: [...(flags.policy ?? [])],
    rulesFile: flags.rules,
    intervalSeconds: flags.interval ?? DEFAULTS.console.intervalSeconds,
    bodyLimit: flags.maxBody ?? DEFAULTS.console.bodyLimit,
    clockSkewMinutes: flags.clockSkew ?? DEFAULTS.console.clockSkewMinutes,
    autoPromote: flags.autoPromote ?? false,
    sessionHours: DEFAULTS.console.sessionHours,
    ticketSources: flags.tickets === undefined ? [] : readTicketSources(flags.tickets, env),
    admin: {
      name: env['DRIFTWATCH_ADMIN_USER'] ?? 'admin',
      ...(env['DRIFTWATCH_ADMIN_PASSWORD'] === undefined
        ? {}
        : { password: env['DRIFTWATCH_ADMIN_PASSWORD'] }),
    },
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      `${issue?.path.join('.') ?? 'configuration'}: ${issue?.message ?? 'invalid'}`,
    )
  }
  // Agent credentials and passwords cross the wire: only loopback may carry them in clear.
  if (!tls && !isLoopback(host)) {
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      `--host ${host} is not loopback: serve it with --tls (plain HTTP only on loopback)`,
    )
  }
  return Object.freeze(parsed.data)
}
