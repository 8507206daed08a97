// What follows storing a snapshot, wherever it came from (an agent's push, the console's own
// inventory of a hypervisor): its changes are reconciled with tickets, and the node's policies
// evaluated again when something they read changed.
import type { FleetNode, IncomingSnapshot, IngestOutcome } from '../store/index.js'
import type { FileProvenance } from '../reconcile/index.js'
import type { ConsoleContext } from './console-context.js'
import { evaluateNode, needsEvaluation } from './node-evaluation.js'

export interface IntakeOptions {
  /** The agent's package records for the changed files it sent. */
  readonly provenance?: readonly FileProvenance[]
  /** Runs after the snapshot is stored and before its changes are judged (lifecycle verbs). */
  readonly beforeReconciling?: (outcome: IngestOutcome) => Promise<void>
}

/**
 * Stores the snapshot, then judges and evaluates. A resend is judged again too: the console may
 * have stopped between storing and judging.
 *
 * @example const outcome = await takeInSnapshot(context, node, snapshot, now)
 */
export async function takeInSnapshot(
  context: ConsoleContext,
  node: FleetNode,
  snapshot: IncomingSnapshot,
  now: string,
  options: IntakeOptions = {},
): Promise<IngestOutcome> {
  const { store } = context
  const outcome = await store.ingestSnapshot(node.id, snapshot, now)
  if (outcome.changes > 0) {
    await options.beforeReconciling?.(outcome)
    await context.reconciliation.reconcileSnapshot(
      node,
      outcome.snapshotId,
      now,
      options.provenance ?? [],
    )
  }
  if (needsEvaluation(context, node, outcome, await store.evaluatedSnapshot(node.id))) {
    await evaluateNode(context, node, outcome.snapshotId)
  }
  return outcome
}
