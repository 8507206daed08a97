// Storing one snapshot: the elements it reports become new versions, what differs from the
// baseline becomes changes, and a resend of a stored snapshot writes nothing. All of it in one
// transaction, with the node's row locked, so two consoles never interleave one node's snapshots.
import type { Transaction } from 'kysely'
import { DriftwatchError } from '../../errors/index.js'
import { isUncertain } from '../../model/index.js'
import type { IncomingSnapshot, IngestOutcome } from '../fleet-store.js'
import type { FleetDatabase } from './fleet-database.js'
import {
  chunks,
  prepareState,
  type ElementInterner,
  type Learning,
  type PreparedState,
} from './element-interner.js'
import type { ReaderTransition } from './element-reader.js'

type Trx = Transaction<FleetDatabase>

interface Transition {
  readonly keyId: number
  readonly key: string
  readonly before: number | null
  readonly after: number | null
  readonly state?: PreparedState
}

/** What the store keeps in memory after a stored snapshot (see ElementReader.advance). */
export interface StoredTransitions {
  readonly previousSnapshotId: number
  readonly transitions: readonly ReaderTransition[]
}

export async function ingestSnapshot(
  trx: Trx,
  interner: ElementInterner,
  learning: Learning,
  lockRows: boolean,
  nodeId: number,
  snapshot: IncomingSnapshot,
  now: string,
  onStored?: (transitions: StoredTransitions) => void,
): Promise<IngestOutcome> {
  let nodeQuery = trx
    .selectFrom('nodes')
    .select(['last_sequence', 'baseline_at', 'status'])
    .where('id', '=', nodeId)
  if (lockRows) nodeQuery = nodeQuery.forUpdate()
  const node = await nodeQuery.executeTakeFirst()
  if (node === undefined) throw new DriftwatchError('DW_ERR_NOT_FOUND', `no node ${nodeId}`)
  const lastSequence = Number(node.last_sequence)
  const stored = await trx
    .selectFrom('snapshots')
    .select(['id', 'sequence', 'change_count'])
    .where('node_id', '=', nodeId)
    .where('uuid', '=', snapshot.uuid)
    .executeTakeFirst()
  if (stored !== undefined) {
    return {
      status: 'duplicate',
      snapshotId: Number(stored.id),
      sequence: Number(stored.sequence),
      changes: Number(stored.change_count),
      baseline: false,
      changedKeys: [],
    }
  }
  if (snapshot.sequence <= lastSequence) {
    throw new DriftwatchError(
      'DW_ERR_SNAPSHOT_OUT_OF_ORDER',
      `snapshot ${snapshot.sequence} is not newer than the stored snapshot ${lastSequence}`,
      { details: { lastSequence } },
    )
  }
  if (snapshot.base !== null && snapshot.base !== lastSequence) {
    throw new DriftwatchError(
      'DW_ERR_SNAPSHOT_BASE_MISMATCH',
      `the delta was taken against snapshot ${snapshot.base}, the console has ${lastSequence}: send a whole snapshot`,
      { details: { lastSequence } },
    )
  }
  const previous = await trx
    .selectFrom('snapshots')
    .select(['id', 'element_count'])
    .where('node_id', '=', nodeId)
    .where('sequence', '=', lastSequence)
    .executeTakeFirst()

  const states = snapshot.elements.map(prepareState)
  const keyIds = await interner.keyIdsFor(
    trx,
    [...snapshot.elements.map((element) => element.key), ...snapshot.removed],
    learning,
  )
  const stateIds = await interner.stateIdsFor(trx, states, learning)

  const current = await currentStates(
    trx,
    nodeId,
    snapshot.base === null ? undefined : [...keyIds.values()],
  )
  const transitions: Transition[] = []
  const seen = new Set<number>()
  snapshot.elements.forEach((element, index) => {
    const keyId = keyIds.get(element.key) as number
    const state = states[index] as PreparedState
    const after = stateIds.get(state.digest) as number
    seen.add(keyId)
    const before = current.get(keyId)?.state ?? null
    if (before !== after) transitions.push({ keyId, key: element.key, before, after, state })
  })
  if (snapshot.base === null) {
    for (const [keyId, { key, state }] of current) {
      if (seen.has(keyId)) continue
      if (isUncertain(key, snapshot.uncertain)) continue
      transitions.push({ keyId, key, before: state, after: null })
    }
  } else {
    for (const key of snapshot.removed) {
      const keyId = keyIds.get(key) as number
      const before = current.get(keyId)?.state
      if (before !== undefined && !seen.has(keyId)) {
        transitions.push({ keyId, key, before, after: null })
      }
    }
  }

  const added = transitions.filter((t) => t.before === null).length
  const removed = transitions.filter((t) => t.after === null).length
  const elementCount =
    snapshot.base === null
      ? snapshot.elements.length
      : Number(previous?.element_count ?? 0) + added - removed
  const firstBaseline = node.baseline_at === null
  const inserted = await trx
    .insertInto('snapshots')
    .values({
      node_id: nodeId,
      uuid: snapshot.uuid,
      sequence: snapshot.sequence,
      base_sequence: snapshot.base,
      taken_at: snapshot.takenAt,
      received_at: now,
      element_count: elementCount,
      change_count: firstBaseline ? 0 : transitions.length,
      not_checked: JSON.stringify(snapshot.notChecked),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const snapshotId = Number(inserted.id)

  const closing = transitions.filter((t) => t.before !== null).map((t) => t.keyId)
  for (const batch of chunks(closing)) {
    await trx
      .updateTable('element_versions')
      .set({ to_snapshot: snapshotId })
      .where('node_id', '=', nodeId)
      .where('key_id', 'in', batch)
      .where('to_snapshot', 'is', null)
      .execute()
  }
  const opening = transitions.filter((t) => t.after !== null)
  for (const batch of chunks(opening)) {
    await trx
      .insertInto('element_versions')
      .values(
        batch.map((t) => ({
          node_id: nodeId,
          key_id: t.keyId,
          state_id: t.after as number,
          from_snapshot: snapshotId,
          to_snapshot: null,
        })),
      )
      .execute()
  }

  if (!firstBaseline && transitions.length > 0) {
    await recordChanges(trx, nodeId, transitions, snapshotId, Number(previous?.id ?? 0), now)
  }
  await trx
    .updateTable('nodes')
    .set({
      last_sequence: snapshot.sequence,
      last_seen_at: now,
      ...(firstBaseline ? { baseline_at: now } : {}),
    })
    .where('id', '=', nodeId)
    .execute()
  onStored?.({
    previousSnapshotId: Number(previous?.id ?? 0),
    transitions: transitions.map((t) => ({
      key: t.key,
      after: t.after,
      attributes: t.state?.attributes,
      content: t.state?.content,
      unverified:
        t.state?.unverified === null || t.state === undefined
          ? undefined
          : (JSON.parse(t.state.unverified) as string[]),
    })),
  })
  return {
    status: 'stored',
    snapshotId,
    sequence: snapshot.sequence,
    changes: firstBaseline ? 0 : transitions.length,
    baseline: firstBaseline,
    changedKeys: transitions.map((t) => t.key),
  }
}

/** The node's current state of some keys (all of them when `keyIds` is undefined). */
async function currentStates(
  trx: Trx,
  nodeId: number,
  keyIds: readonly number[] | undefined,
): Promise<Map<number, { key: string; state: number }>> {
  const current = new Map<number, { key: string; state: number }>()
  const load = async (batch: readonly number[] | undefined): Promise<void> => {
    let query = trx
      .selectFrom('element_versions as v')
      .innerJoin('element_keys as k', 'k.id', 'v.key_id')
      .select(['v.key_id', 'v.state_id', 'k.key'])
      .where('v.node_id', '=', nodeId)
      .where('v.to_snapshot', 'is', null)
    if (batch !== undefined) query = query.where('v.key_id', 'in', batch)
    for (const row of await query.execute()) {
      current.set(Number(row.key_id), { key: row.key, state: Number(row.state_id) })
    }
  }
  if (keyIds === undefined) await load(undefined)
  else for (const batch of chunks(keyIds)) await load(batch)
  return current
}

/**
 * Each transition becomes a change. The baseline's state is the deviation row's where there is
 * one, else the state before (the element matched the baseline until now). A transition back to
 * the baseline's state restores the element: its open changes close as `restored`.
 */
async function recordChanges(
  trx: Trx,
  nodeId: number,
  transitions: readonly Transition[],
  snapshotId: number,
  previousSnapshotId: number,
  now: string,
): Promise<void> {
  const deviations = new Map<number, number | null>()
  for (const batch of chunks(transitions.map((t) => t.keyId))) {
    const rows = await trx
      .selectFrom('baseline_deviations')
      .select(['key_id', 'baseline_state'])
      .where('node_id', '=', nodeId)
      .where('key_id', 'in', batch)
      .execute()
    for (const row of rows) {
      deviations.set(
        Number(row.key_id),
        row.baseline_state === null ? null : Number(row.baseline_state),
      )
    }
  }
  const restoredKeys: number[] = []
  const newDeviations: { key_id: number; baseline_state: number | null }[] = []
  const changes = transitions.map((t) => {
    const baseline = deviations.has(t.keyId) ? (deviations.get(t.keyId) ?? null) : t.before
    const restores = t.after === baseline
    if (restores) restoredKeys.push(t.keyId)
    else if (!deviations.has(t.keyId))
      newDeviations.push({ key_id: t.keyId, baseline_state: t.before })
    return {
      node_id: nodeId,
      key_id: t.keyId,
      kind: t.before === null ? 'added' : t.after === null ? 'removed' : 'modified',
      before_state: t.before,
      after_state: t.after,
      snapshot_id: snapshotId,
      previous_snapshot_id: previousSnapshotId,
      detected_at: now,
      status: restores ? 'restored' : 'open',
      resolved_at: restores ? now : null,
      resolved_by: restores ? 'driftwatch' : null,
      resolution_reason: restores ? 'the element is back in its baseline state' : null,
    }
  })
  for (const batch of chunks(restoredKeys)) {
    await trx
      .updateTable('changes')
      .set({
        status: 'restored',
        resolved_at: now,
        resolved_by: 'driftwatch',
        resolution_reason: 'the element is back in its baseline state',
      })
      .where('node_id', '=', nodeId)
      .where('status', '=', 'open')
      .where('key_id', 'in', batch)
      .execute()
    await trx
      .deleteFrom('baseline_deviations')
      .where('node_id', '=', nodeId)
      .where('key_id', 'in', batch)
      .execute()
  }
  for (const batch of chunks(newDeviations)) {
    await trx
      .insertInto('baseline_deviations')
      .values(batch.map((row) => ({ node_id: nodeId, ...row })))
      .execute()
  }
  for (const batch of chunks(changes)) await trx.insertInto('changes').values(batch).execute()
}
