// What every route works with: the store, the loaded policies and what agents must collect,
// the clock, and the console's TLS identity. Built once by the server, handed to the routes.
import type { SigningKey } from '../integrity/index.js'
import type { Deadlines } from '../policy/index.js'
import type { FleetStore } from '../store/index.js'
import type { ChangeReconciliation } from './change-reconciliation.js'
import type { FleetReevaluation } from './fleet-reevaluation.js'
import type { LoginLimiter } from './login-limiter.js'
import type { AssignedPolicies } from './policy-assignments.js'
import type { HypervisorSchedule } from './hypervisor-schedule.js'

export interface ConsoleContext {
  readonly store: FleetStore
  /** The loaded policies, which nodes each judges, and what each node must collect. */
  readonly policies: AssignedPolicies
  readonly intervalSeconds: number
  readonly deadlines: Deadlines
  readonly sessionHours: number
  readonly limiter: LoginLimiter
  readonly now: () => Date
  /** Judges changes against the change tickets. */
  readonly reconciliation: ChangeReconciliation
  /** Judges every node again (after a waiver changes); runs in the background. */
  readonly reevaluation: FleetReevaluation
  /** Collects the registered hypervisors on their intervals, and on demand. */
  readonly hypervisors: HypervisorSchedule
  /** The key that signs evidence exports (DATA/evidence.key, made on first use). */
  readonly evidenceKey?: (() => SigningKey) | undefined
  /** Set when the console serves HTTPS: agents pin this CA. */
  readonly tls?: { readonly caCertificate: string; readonly caFingerprint: string } | undefined
}
