// `driftwatch privileged`: who can act as root on a system and how, the ghost accounts, and
// whether the number of administrators is within bounds. No baseline, no database.
import {
  loadAccountsModule,
  LocalCommandRunner,
  type AdminBounds,
  type CollectionProblem,
  type CommandRunner,
  type PrivilegedAccess,
} from '../collect/index.js'
import type { Target } from '../target/index.js'

export interface PrivilegedAssessment {
  readonly target: string
  readonly access: PrivilegedAccess
  /** What could not be read: an identity may be missing because of it. */
  readonly problems: readonly CollectionProblem[]
  /** No ghost account, and the administrators within bounds. */
  readonly clean: boolean
}

/**
 * @example await assessPrivilegedAccess({ target: openTarget({}), bounds: { min: 2, max: 10 } })
 */
export async function assessPrivilegedAccess(options: {
  target: Target
  bounds: AdminBounds
  commands?: CommandRunner | undefined
}): Promise<PrivilegedAssessment> {
  const { accountsCollector, analyzePrivilegedAccess } = await loadAccountsModule()
  const collected = accountsCollector.collect({
    target: options.target,
    commands: options.commands ?? new LocalCommandRunner(),
  })
  const access = analyzePrivilegedAccess(collected.elements, options.bounds)
  return {
    target: options.target.description,
    access,
    problems: collected.problems,
    clean: access.ghosts.length === 0 && access.admins.verdict === 'ok',
  }
}
