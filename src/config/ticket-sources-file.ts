// The `serve --tickets FILE` file: which ticket systems the console polls, how often, and the
// names of the environment variables holding their secrets (never the secrets themselves).
// Read into complete poller configurations, secrets included, by the console's config loader.
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { DriftwatchError } from '../errors/index.js'
import {
  TICKET_STATES,
  type JiraPollerConfig,
  type ServiceNowPollerConfig,
  type TicketSystemAuth,
} from '../reconcile/sources/index.js'
import { parseYamlWithSchema } from '../yaml/positioned-yaml.js'
import { DEFAULTS } from './defaults.js'

/** One ticket system the console polls, resolved: the poller's configuration and its schedule. */
export type TicketSource =
  | {
      readonly kind: 'servicenow'
      readonly everySeconds: number
      readonly poller: ServiceNowPollerConfig
    }
  | { readonly kind: 'jira'; readonly everySeconds: number; readonly poller: JiraPollerConfig }

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'expected the name of an environment variable' })
const url = z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' })
// Fractions are allowed so that tests can poll quickly; a site polls every few minutes.
const everySeconds = z
  .number()
  .positive()
  .max(24 * 3600)
  .default(DEFAULTS.ticketPolling.everySeconds)
const timeoutSeconds = z.number().positive().max(600).optional()

const sourcesSchema = z
  .strictObject({
    servicenow: z
      .strictObject({
        url,
        user: z.string().min(1).optional(),
        passwordEnv: envName.optional(),
        tokenEnv: envName.optional(),
        /** An encoded query narrowing the changes read. */
        query: z.string().min(1).optional(),
        scopeField: z.string().min(1).optional(),
        approverField: z.string().min(1).optional(),
        everySeconds,
        timeoutSeconds,
      })
      .optional(),
    jira: z
      .strictObject({
        url,
        user: z.string().min(1).optional(),
        tokenEnv: envName,
        jql: z.string().min(1),
        statusStates: z.record(z.string().min(1), z.enum(TICKET_STATES)).optional(),
        windowStartField: z.string().min(1).optional(),
        windowEndField: z.string().min(1).optional(),
        scopeField: z.string().min(1).optional(),
        approverField: z.string().min(1).optional(),
        timeZone: z.string().min(1).optional(),
        everySeconds,
        timeoutSeconds,
      })
      .optional(),
  })
  .nullable()

const CODES = { syntax: 'DW_ERR_USAGE', invalid: 'DW_ERR_USAGE' } as const

/**
 * Reads a tickets file and the secrets it names from `env`.
 *
 * @example readTicketSources('/etc/driftwatch/tickets.yaml', process.env) // → [{ kind: 'servicenow', everySeconds: 300, poller: { … } }]
 * @throws DriftwatchError DW_ERR_USAGE naming file:line:column, or the variable that is not set
 */
export function readTicketSources(file: string, env: NodeJS.ProcessEnv): TicketSource[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
    throw new DriftwatchError('DW_ERR_USAGE', `--tickets ${file}: cannot read it (${code})`)
  }
  const { data, where } = parseYamlWithSchema(text, file, sourcesSchema, CODES)
  const secret = (path: string[], name: string): string => {
    const value = env[name]
    if (value === undefined || value === '') {
      throw new DriftwatchError(
        'DW_ERR_USAGE',
        `${where(path)}: ${name} is not set in the environment`,
      )
    }
    return value
  }
  const sources: TicketSource[] = []
  const servicenow = data?.servicenow
  if (servicenow !== undefined) {
    const at = ['servicenow']
    let auth: TicketSystemAuth
    if (servicenow.tokenEnv !== undefined) {
      auth = { kind: 'bearer', token: secret([...at, 'tokenEnv'], servicenow.tokenEnv) }
    } else if (servicenow.user !== undefined && servicenow.passwordEnv !== undefined) {
      const password = secret([...at, 'passwordEnv'], servicenow.passwordEnv)
      auth = { kind: 'basic', user: servicenow.user, password }
    } else {
      throw new DriftwatchError(
        'DW_ERR_USAGE',
        `${where(at)}: servicenow: give user and passwordEnv (Basic auth), or tokenEnv (a bearer token)`,
      )
    }
    sources.push({
      kind: 'servicenow',
      everySeconds: servicenow.everySeconds,
      poller: {
        instance: servicenow.url,
        auth,
        query: servicenow.query,
        scopeField: servicenow.scopeField,
        approverField: servicenow.approverField,
        timeoutMs: milliseconds(servicenow.timeoutSeconds),
      },
    })
  }
  const jira = data?.jira
  if (jira !== undefined) {
    const token = secret(['jira', 'tokenEnv'], jira.tokenEnv)
    sources.push({
      kind: 'jira',
      everySeconds: jira.everySeconds,
      poller: {
        baseUrl: jira.url,
        // Jira Cloud takes an account's e-mail and API token; Data Center a personal access token.
        auth:
          jira.user === undefined
            ? { kind: 'bearer', token }
            : { kind: 'basic', user: jira.user, password: token },
        jql: jira.jql,
        fields: {
          windowStart: jira.windowStartField,
          windowEnd: jira.windowEndField,
          scope: jira.scopeField,
          approver: jira.approverField,
        },
        statusStates: jira.statusStates,
        timeZone: jira.timeZone,
        timeoutMs: milliseconds(jira.timeoutSeconds),
      },
    })
  }
  if (sources.length === 0) {
    throw new DriftwatchError('DW_ERR_USAGE', `${where([])}: name a servicenow or a jira source`)
  }
  return sources
}

function milliseconds(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : Math.round(seconds * 1000)
}
