// What every route works with: the store, the loaded policies and what agents must collect,
// the clock, and the console's TLS identity. Built once by the server, handed to the routes.
import type { FileRules } from '../collect/index.js'
import type { Deadlines, Policy } from '../policy/index.js'
import type { FleetStore } from '../store/index.js'
import type { LoginLimiter } from './login-limiter.js'

export interface ConsoleContext {
  readonly store: FleetStore
  readonly policies: readonly Policy[]
  /** Rules every agent collects with: the integrity rules merged with what the policies read. */
  readonly spec: FileRules
  /** Whether a changed element can change a verdict (any key the policies may look at). */
  readonly policiesRead: (key: string) => boolean
  readonly intervalSeconds: number
  readonly deadlines: Deadlines
  readonly sessionHours: number
  readonly limiter: LoginLimiter
  readonly now: () => Date
  /** Set when the console serves HTTPS: agents pin this CA. */
  readonly tls?: { readonly caCertificate: string; readonly caFingerprint: string } | undefined
}
