// Starting a console: open (and migrate) the store, load the policies and rules, make sure
// there is an administrator, and listen — HTTPS with the console's own CA, or plain HTTP on
// loopback only.
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { LIVE_HOST_RULES, loadRulesFileModule, type FileRules } from '../collect/index.js'
import type { ResolvedConsoleConfig } from '../config/index.js'
import { DriftwatchError } from '../errors/index.js'
import { DEFAULTS } from '../config/index.js'
import { resolvePolicies } from '../policy/index.js'
import { evidenceKey } from '../report/evidence/index.js'
import { loadFleetStoreModule, type FleetStore } from '../store/index.js'
import { buildConsoleApp } from './console-app.js'
import type { ConsoleContext } from './console-context.js'
import { ensureFirstAdmin, type FirstAdmin } from './first-admin.js'
import { LoginLimiter } from './login-limiter.js'
import { ChangeReconciliation } from './change-reconciliation.js'
import { FleetReevaluation } from './fleet-reevaluation.js'
import { AssignedPolicies, parseAssignment } from './policy-assignments.js'
import { recordPolicyChange } from './policy-audit.js'
import { TicketPolling } from './ticket-polling.js'
import { requestDailyReevaluation } from './daily-reevaluation.js'
import { DAY_MS } from '../model/index.js'
import { HypervisorSchedule } from './hypervisor-schedule.js'

export interface RunningConsole {
  readonly url: string
  readonly port: number
  readonly store: FleetStore
  readonly app: FastifyInstance
  /** Set on the first start: the administrator created, and the password when generated. */
  readonly firstAdmin: FirstAdmin | undefined
  readonly caFingerprint: string | undefined
  close(): Promise<void>
}

export interface StartConsoleOptions {
  /** Pino logging (default: on, info level). */
  readonly logger?: boolean | Record<string, unknown>
  readonly now?: () => Date
}

/**
 * @example const console = await startConsole(resolveConsoleConfig({ port: '0' }))
 */
export async function startConsole(
  config: ResolvedConsoleConfig,
  options: StartConsoleOptions = {},
): Promise<RunningConsole> {
  // Checked here, not in the configuration: `audit verify` reads the same settings.
  if (config.admin.password !== undefined && config.admin.password.length < 12) {
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      'DRIFTWATCH_ADMIN_PASSWORD must have at least 12 characters',
    )
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
  const wanted = config.policies.map(parseAssignment)
  const policies = await resolvePolicies(wanted.map((assignment) => assignment.name))
  const assignments =
    wanted.length === 0
      ? policies.map((policy) => ({ policy, tags: [] }))
      : policies.map((policy, index) => ({ policy, tags: wanted[index]?.tags ?? [] }))
  const integrityRules: FileRules =
    config.rulesFile === undefined
      ? LIVE_HOST_RULES
      : (await loadRulesFileModule()).loadFileRules(config.rulesFile)
  const tls = config.tls
    ? await (
        await import('./tls/console-certificates.js')
      ).loadOrCreateConsoleTls(join(config.dataDir, 'tls'), [config.host, ...config.tlsNames])
    : undefined
  const { openFleetStore } = await loadFleetStoreModule()
  const store = await openFleetStore(config.database)
  try {
    const now = options.now ?? ((): Date => new Date())
    const firstAdmin = await ensureFirstAdmin(store, config.admin, now().toISOString())
    const policiesChanged = await recordPolicyChange(store, policies, now().toISOString())
    // Unique per run: consoles in containers may share a host name, and each is pid 1.
    const holder = `${hostname()} pid ${process.pid} ${randomUUID().slice(0, 8)}`
    const context: ConsoleContext = {
      store,
      policies: new AssignedPolicies(assignments, integrityRules),
      intervalSeconds: config.intervalSeconds,
      deadlines: DEFAULTS.deadlines,
      sessionHours: config.sessionHours,
      limiter: new LoginLimiter(),
      now,
      reconciliation: new ChangeReconciliation(store, {
        clockSkewMinutes: config.clockSkewMinutes,
      }),
      reevaluation: new FleetReevaluation(
        () => context,
        () => app.log,
      ),
      hypervisors: new HypervisorSchedule(
        () => context,
        holder,
        () => app.log,
      ),
      evidenceKey: () => evidenceKey(config.dataDir),
      tls:
        tls === undefined
          ? undefined
          : { caCertificate: tls.caCertificate, caFingerprint: tls.caFingerprint },
    }
    // eslint-disable-next-line prefer-const -- the re-evaluation logs through the app made below
    let app: FastifyInstance
    app = await buildConsoleApp(context, {
      bodyLimit: config.bodyLimit,
      logger: options.logger ?? { level: 'info' },
      ...(tls === undefined ? {} : { https: { key: tls.key, cert: tls.cert } }),
    })
    await app.listen({ port: config.port, host: config.host }).catch((error: unknown) => {
      const code = (error as { code?: string }).code
      if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error
      throw new DriftwatchError(
        'DW_ERR_USAGE',
        `cannot listen on ${config.host}:${config.port} (${code}): choose another --port or --host`,
      )
    })
    if (policiesChanged) context.reevaluation.request('the loaded policies changed')
    // Deadlines fall due and waivers expire with the calendar: once a day, by one console.
    const daily = setInterval(() => {
      requestDailyReevaluation(context, holder).catch((error: unknown) =>
        app.log.error({ err: error }, 'daily re-evaluation not started'),
      )
    }, DAY_MS)
    daily.unref()
    const ticketPollings = config.ticketSources.map(
      (source) => new TicketPolling({ source, context, holder, log: () => app.log }),
    )
    for (const polling of ticketPollings) polling.start()
    context.hypervisors.start()
    const address = app.server.address()
    const port = typeof address === 'object' && address !== null ? address.port : config.port
    const host = config.host.includes(':') ? `[${config.host}]` : config.host
    return {
      url: `${tls === undefined ? 'http' : 'https'}://${host}:${port}`,
      port,
      store,
      app,
      firstAdmin,
      caFingerprint: tls?.caFingerprint,
      close: async () => {
        clearInterval(daily)
        await Promise.all(ticketPollings.map((polling) => polling.stop()))
        await context.hypervisors.stop()
        await context.reevaluation.stop()
        await app.close()
        await store.close()
      },
    }
  } catch (error) {
    await store.close()
    throw error
  }
}
