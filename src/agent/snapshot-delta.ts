// What the agent sends: a whole snapshot, or only what changed since the snapshot the console
// last acknowledged. Pure functions over the spooled snapshot and the acknowledged state.
import { hash } from 'node:crypto'
import { isUncertain } from '../model/index.js'
import type { FileProvenance } from '../reconcile/index.js'
import type { IncomingElement, IncomingSnapshot } from '../store/index.js'

/** A snapshot as the spool keeps it: always whole, so it can be sent whole or as a delta. */
export interface SpooledSnapshot {
  readonly uuid: string
  readonly sequence: number
  readonly takenAt: string
  /** Every element, sorted by key. */
  readonly elements: readonly IncomingElement[]
  readonly notChecked: readonly unknown[]
  /** Key prefixes under which an absent element is not proof of its removal. */
  readonly uncertain: readonly string[]
  /** What the package database records for the files that changed since the acknowledged state. */
  readonly provenance?: readonly FileProvenance[] | undefined
}

/** The state of the snapshot the console last acknowledged. */
export interface AcknowledgedState {
  /** 0: nothing acknowledged yet. */
  readonly sequence: number
  /** Element key → {@link elementDigest}. */
  readonly elements: Readonly<Record<string, string>>
}

/**
 * A digest of everything the console stores of an element; only the agent compares them.
 *
 * @example elementDigest({ key: 'user:root', attributes: '{"uid":0}' }) // 22 characters
 */
export function elementDigest(element: IncomingElement): string {
  const stored = [element.attributes, element.content ?? null, element.unverified ?? null]
  return hash('sha256', JSON.stringify(stored), 'base64').slice(0, 22)
}

/**
 * The snapshot with every element: what the console needs when it has nothing to diff against.
 *
 * @example wholeSnapshot(spooled).base // null
 */
export function wholeSnapshot(spooled: SpooledSnapshot): IncomingSnapshot {
  return {
    uuid: spooled.uuid,
    sequence: spooled.sequence,
    base: null,
    takenAt: spooled.takenAt,
    elements: spooled.elements,
    removed: [],
    uncertain: spooled.uncertain,
    notChecked: spooled.notChecked,
  }
}

/**
 * The elements new or changed since the acknowledged state, and the keys gone since (where their
 * absence proves removal). Whole when nothing is acknowledged yet.
 *
 * @example deltaSnapshot(spooled, { sequence: 11, elements }).base // 11
 */
export function deltaSnapshot(
  spooled: SpooledSnapshot,
  acknowledged: AcknowledgedState,
): IncomingSnapshot {
  if (acknowledged.sequence === 0) return wholeSnapshot(spooled)
  const known = acknowledged.elements
  const present = new Set<string>()
  const elements: IncomingElement[] = []
  for (const element of spooled.elements) {
    present.add(element.key)
    if (known[element.key] !== elementDigest(element)) elements.push(element)
  }
  const removed = Object.keys(known)
    .filter((key) => !present.has(key) && !isUncertain(key, spooled.uncertain))
    .sort()
  return { ...wholeSnapshot(spooled), base: acknowledged.sequence, elements, removed }
}

/**
 * The acknowledged state once the console has stored `spooled` as `sequence`: its elements, and
 * the previously acknowledged ones it could not see (the console keeps those too).
 *
 * @example acknowledgedAfter(spooled, previous, 12).sequence // 12
 */
export function acknowledgedAfter(
  spooled: SpooledSnapshot,
  previous: AcknowledgedState,
  sequence: number,
): AcknowledgedState {
  const elements: Record<string, string> = {}
  for (const element of spooled.elements) elements[element.key] = elementDigest(element)
  for (const [key, digest] of Object.entries(previous.elements)) {
    if (elements[key] === undefined && isUncertain(key, spooled.uncertain)) elements[key] = digest
  }
  return { sequence, elements }
}

/**
 * The provenance the console needs beside a snapshot: that of the changed files the snapshot
 * sends. A whole snapshot resent after a refused delta is still compared with the node's last one
 * on the console, so it carries the provenance too (a first snapshot has none).
 *
 * @example provenanceFor(spooled, deltaSnapshot(spooled, acknowledged)).length // 1
 */
export function provenanceFor(
  spooled: SpooledSnapshot,
  sent: IncomingSnapshot,
): readonly FileProvenance[] {
  if (spooled.provenance === undefined) return []
  const sentKeys = new Set(sent.elements.map((element) => element.key))
  return spooled.provenance.filter((record) => sentKeys.has(`file:${record.path}`))
}
