// A console application over a fresh store of either kind, driven through fastify's inject:
// the whole HTTP stack (parsing, authentication, roles, errors) without a port.
import { HypervisorSchedule } from '../../src/console/hypervisor-schedule.js'
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { LIVE_HOST_RULES } from '../../src/collect/index.js'
import { buildConsoleApp, type ConsoleContext } from '../../src/console/index.js'
import { ChangeReconciliation } from '../../src/console/change-reconciliation.js'
import { FleetReevaluation } from '../../src/console/fleet-reevaluation.js'
import { LoginLimiter } from '../../src/console/login-limiter.js'
import { AssignedPolicies } from '../../src/console/policy-assignments.js'
import { hashPassword } from '../../src/console/passwords.js'
import { resolvePolicies } from '../../src/policy/index.js'
import type { FleetStore } from '../../src/store/index.js'
import { freshStore, type StoreKind } from './fleet-stores.js'

export const PASSWORD = 'correct horse battery staple'

export interface Harness {
  readonly app: FastifyInstance
  readonly store: FleetStore
  readonly context: ConsoleContext
  /** A session token for a user of each role. */
  readonly tokens: { admin: string; operator: string; auditor: string }
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    options?: { token?: string; body?: unknown; raw?: string },
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>
}

/** What the console's server would build for `store`: the built-in rules and these policies. */
export async function testConsoleContext(
  store: FleetStore,
  policyNames: readonly string[] = [],
  options: { autoPromote?: boolean } = {},
): Promise<ConsoleContext> {
  const policies = await resolvePolicies(policyNames)
  const context: ConsoleContext = {
    store,
    policies: new AssignedPolicies(
      policies.map((policy) => ({ policy, tags: [] })),
      LIVE_HOST_RULES,
    ),
    intervalSeconds: 60,
    deadlines: { critical: 7, high: 30, medium: 90, low: 180 },
    sessionHours: 1,
    limiter: new LoginLimiter(),
    now: () => new Date(),
    reconciliation: new ChangeReconciliation(store, {
      clockSkewMinutes: 5,
      autoPromote: options.autoPromote === true,
    }),
    reevaluation: new FleetReevaluation(
      () => context,
      () => ({
        info: () => undefined,
        error: (error: unknown) => {
          throw new Error(`fleet re-evaluation failed: ${JSON.stringify(error)}`)
        },
      }),
    ),
    // Not started: tests collect on demand.
    hypervisors: new HypervisorSchedule(
      () => context,
      'test console',
      () => ({ info: () => undefined, warn: () => undefined }),
    ),
  }
  return context
}

export async function consoleHarness(
  t: TestContext,
  kind: StoreKind,
  options: { policies?: string[]; bodyLimit?: number; autoPromote?: boolean } = {},
): Promise<Harness> {
  const store = await freshStore(t, kind)
  const context = await testConsoleContext(store, options.policies, {
    autoPromote: options.autoPromote === true,
  })
  const app = await buildConsoleApp(context, {
    bodyLimit: options.bodyLimit ?? 8 * 1024 * 1024,
    logger: false,
  })
  t.after(() => app.close())
  const passwordHash = await hashPassword(PASSWORD)
  const now = new Date().toISOString()
  for (const role of ['admin', 'operator', 'auditor'] as const) {
    await store.createUser({ name: role, passwordHash, role, actor: 'test', now })
  }
  const call: Harness['call'] = async (method, url, callOptions = {}) => {
    const response = await app.inject({
      method,
      url,
      headers: {
        ...(callOptions.token === undefined
          ? {}
          : { authorization: `Bearer ${callOptions.token}` }),
        ...(callOptions.body === undefined && callOptions.raw === undefined
          ? {}
          : { 'content-type': 'application/json' }),
      },
      ...(callOptions.raw !== undefined
        ? { payload: callOptions.raw }
        : callOptions.body === undefined
          ? {}
          : { payload: JSON.stringify(callOptions.body) }),
    })
    return {
      status: response.statusCode,
      body: response.body === '' ? undefined : JSON.parse(response.body),
      headers: response.headers,
    }
  }
  const login = async (name: string): Promise<string> => {
    const response = await call('POST', '/api/v1/login', { body: { name, password: PASSWORD } })
    return response.body.token as string
  }
  return {
    app,
    store,
    context,
    call,
    tokens: {
      admin: await login('admin'),
      operator: await login('operator'),
      auditor: await login('auditor'),
    },
  }
}
