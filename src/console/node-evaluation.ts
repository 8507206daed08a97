// Judging a node: its current elements through every policy, with the console's waivers and
// deadlines, stored as its results. Skipped when nothing a policy can see has changed since the
// last evaluation, so a rescan that changes a binary under /usr costs no evaluation at all.
import type { FileRules } from '../collect/index.js'
import { assess, type NodeKind, type Waiver } from '../policy/index.js'
import type { FleetNode, IngestOutcome } from '../store/index.js'
import type { ConsoleContext } from './console-context.js'

/**
 * Keys a policy may look at: every element that is not a file, and files under the paths the
 * policies' collection spec names.
 */
export function policiesReadFrom(policySpec: FileRules): (key: string) => boolean {
  const matchers = policySpec.rules.map((rule) =>
    rule.recurse
      ? (path: string): boolean =>
          path === rule.path || path.startsWith(`${rule.path.replace(/\/$/, '')}/`)
      : (path: string): boolean => path === rule.path,
  )
  return (key) => {
    if (!key.startsWith('file:')) return true
    const path = key.slice(5)
    return matchers.some((matches) => matches(path))
  }
}

/** A node no agent writes: a hypervisor the console inventories, or one of its VMs. */
function isAgentless(node: { kind: string; parentId: number | null }): boolean {
  return node.kind === 'hypervisor' || node.parentId !== null
}

export function needsEvaluation(
  context: ConsoleContext,
  node: FleetNode,
  outcome: IngestOutcome,
  evaluatedSnapshot: number | null,
): boolean {
  const assigned = context.policies.forNode(node.tags, isAgentless(node))
  if (assigned.policies.length === 0) return false
  if (evaluatedSnapshot === null || outcome.baseline) return true
  // A resend after a crash between storing and evaluating: the stored snapshot was never judged.
  if (outcome.status === 'duplicate') return evaluatedSnapshot < outcome.snapshotId
  return outcome.changedKeys.some(assigned.reads)
}

export async function evaluateNode(
  context: ConsoleContext,
  node: FleetNode,
  snapshotId: number,
): Promise<void> {
  const now = context.now()
  const assigned = context.policies.forNode(node.tags, isAgentless(node))
  const elements = await context.store.currentElements(node.id, assigned.reads, snapshotId)
  const waivers = (await context.store.listWaivers()).map(
    (stored) => stored.waiver as unknown as Waiver,
  )
  const firstFailed = await context.store.firstFailures(node.id)
  const assessment = assess({
    policies: assigned.policies,
    elements,
    node: { name: node.name, kind: node.kind as NodeKind, tags: node.tags, live: true },
    waivers,
    deadlines: context.deadlines,
    now,
    firstFailed,
  })
  await context.store.recordResults(
    node.id,
    snapshotId,
    assessment.results.map((result) => ({
      policy: result.policy,
      test: result.test,
      status: result.status,
      severity: result.severity,
      detail: { ...result },
    })),
    now.toISOString(),
  )
}
