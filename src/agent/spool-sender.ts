// Sends the spool to the console, oldest first, and decides the fate of each spooled snapshot
// from the console's answer: acknowledged (deleted), resent whole, renumbered, dropped (it can
// never be accepted), or kept for later (the console cannot be reached).
import { DriftwatchError } from '../errors/index.js'
import type { NodeIdentity } from '../store/index.js'
import type { AgentState } from './agent-state.js'
import {
  describeProblem,
  problemDetail,
  type ConsoleClient,
  type ConsoleProblem,
} from './console-client.js'
import { acknowledgedAfter, deltaSnapshot, provenanceFor, wholeSnapshot } from './snapshot-delta.js'

export interface PushedSnapshot {
  readonly sequence: number
  readonly status: 'stored' | 'duplicate'
  readonly changes: number
}

export interface FlushResult {
  readonly pushed: readonly PushedSnapshot[]
  /** Sequences dropped because the console can never accept them. */
  readonly dropped: readonly number[]
  /** Snapshots still spooled. */
  readonly spooled: number
  /** Why sending stopped with snapshots left: the console could not be reached or vouched for. */
  readonly failure?: DriftwatchError | undefined
}

export interface FlushContext {
  readonly state: AgentState
  readonly client: ConsoleClient
  readonly identity: NodeIdentity
  readonly warn: (line: string) => void
  /** Checked between snapshots: a stop request ends the flush with the rest still spooled. */
  readonly signal?: AbortSignal | undefined
}

/** Renumbering more often than this in one flush means the console keeps moving: stop. */
const MAX_RENUMBERINGS = 3

/**
 * @example const result = await flushSpool({ state, client, identity, warn })
 * @throws DriftwatchError DW_ERR_NODE_IDENTITY_MISMATCH (the console says this is a clone),
 *   DW_ERR_UNAUTHENTICATED (the credential was revoked)
 */
export async function flushSpool(context: FlushContext): Promise<FlushResult> {
  const { state, client, identity, warn } = context
  const pushed: PushedSnapshot[] = []
  const dropped: number[] = []
  const sendWhole = new Set<number>()
  let renumberings = 0
  const result = (failure?: DriftwatchError): FlushResult => ({
    pushed,
    dropped,
    spooled: state.spool.sequences().length,
    ...(failure === undefined ? {} : { failure }),
  })
  for (;;) {
    if (context.signal?.aborted === true) return result()
    const sequence = state.spool.sequences()[0]
    if (sequence === undefined) return result()
    const spooled = state.spool.read(sequence)
    if (spooled === undefined) continue
    const acknowledged = state.acknowledged()
    const snapshot = sendWhole.has(sequence)
      ? wholeSnapshot(spooled)
      : deltaSnapshot(spooled, acknowledged)
    let outcome
    try {
      outcome = await client.pushSnapshot(identity, snapshot, provenanceFor(spooled, snapshot))
    } catch (error) {
      if (isTransient(error)) return result(error)
      throw error
    }
    if (outcome.accepted) {
      // Acknowledged state first: a crash before the spool file goes means a resend, which the
      // console answers as a duplicate.
      state.saveAcknowledged(acknowledgedAfter(spooled, acknowledged, outcome.sequence))
      state.spool.remove(sequence)
      pushed.push({ sequence, status: outcome.status, changes: outcome.changes })
      continue
    }
    const problem = outcome.problem
    switch (refusal(problem)) {
      case 'base-mismatch':
        if (snapshot.base === null) return result(unexpected(problem))
        sendWhole.add(sequence)
        continue
      case 'out-of-order': {
        if (problem.lastSequence === undefined || ++renumberings > MAX_RENUMBERINGS) {
          return result(unexpected(problem))
        }
        state.raiseNextSequence(state.spool.renumberAbove(problem.lastSequence))
        // The console's newest is not what this agent acknowledged: no delta can apply.
        for (const renumbered of state.spool.sequences()) sendWhole.add(renumbered)
        continue
      }
      case 'clone':
        throw new DriftwatchError(
          'DW_ERR_NODE_IDENTITY_MISMATCH',
          `the console says this machine is not the one node ${state.credential()?.nodeId ?? '?'} was enrolled on (a clone?): ${problemDetail(problem)}`,
        )
      case 'revoked':
        throw new DriftwatchError(
          'DW_ERR_UNAUTHENTICATED',
          `the console no longer accepts this agent's credential (revoked?): ${problemDetail(problem)}`,
        )
      case 'never-acceptable':
        warn(
          `DROPPED snapshot ${sequence}: the console refused it and never will (${describeProblem(problem)}); it is deleted from the spool`,
        )
        state.spool.remove(sequence)
        dropped.push(sequence)
        continue
      case 'later':
        return result(
          new DriftwatchError(
            'DW_ERR_CONSOLE_UNREACHABLE',
            `console cannot take snapshots now: ${describeProblem(problem)}`,
          ),
        )
    }
  }
}

type Refusal = 'base-mismatch' | 'out-of-order' | 'clone' | 'revoked' | 'never-acceptable' | 'later'

function refusal(problem: ConsoleProblem): Refusal {
  if (problem.code === 'DW_ERR_SNAPSHOT_BASE_MISMATCH') return 'base-mismatch'
  if (problem.code === 'DW_ERR_SNAPSHOT_OUT_OF_ORDER') return 'out-of-order'
  if (problem.code === 'DW_ERR_NODE_IDENTITY_MISMATCH') return 'clone'
  if (problem.status === 401) return 'revoked'
  if (problem.status === 400 || problem.status === 413) return 'never-acceptable'
  return 'later'
}

/** A failure that sending again later can cure: the snapshot stays spooled. */
function isTransient(error: unknown): error is DriftwatchError {
  return (
    error instanceof DriftwatchError &&
    (error.code === 'DW_ERR_CONSOLE_UNREACHABLE' || error.code === 'DW_ERR_CONSOLE_IDENTITY')
  )
}

function unexpected(problem: ConsoleProblem): DriftwatchError {
  return new DriftwatchError(
    'DW_ERR_CONSOLE_UNREACHABLE',
    `console refused the snapshot unexpectedly: ${describeProblem(problem)}`,
  )
}
