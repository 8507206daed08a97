// Change: a difference between the observed state of an element and its baseline (DESIGN.md).
import {
  DESCRIPTIVE_ATTRIBUTES,
  orderAttributeNames,
  type AttributeValue,
  type Element,
} from './element.js'

export type ChangeKind = 'added' | 'removed' | 'modified'

export interface FieldChange {
  readonly before: AttributeValue
  readonly after: AttributeValue
}

export interface Change {
  readonly key: string
  readonly change: ChangeKind
  /** Each attribute that differs; for added and removed elements, every attribute. */
  readonly fields: Readonly<Record<string, FieldChange>>
  /** On an added element: the removed element it most likely was before a rename or move. */
  readonly renamedFrom?: string
  /** On a removed element: where it went. */
  readonly renamedTo?: string
}

/**
 * Compares one element's baseline state with its observed state. Returns undefined when they are
 * the same. Attributes listed in `observed.unverified` (unreadable this time) are not compared.
 *
 * @example
 * diffElement({ key: 'file:/a', attributes: { mode: '0644' } },
 *             { key: 'file:/a', attributes: { mode: '0600' } })
 * // { key: 'file:/a', change: 'modified', fields: { mode: { before: '0644', after: '0600' } } }
 */
export function diffElement(
  baseline: Element | undefined,
  observed: Element | undefined,
): Change | undefined {
  if (baseline === undefined && observed === undefined) return undefined
  if (baseline === undefined) {
    const current = observed as Element
    return { key: current.key, change: 'added', fields: allFields(current, 'after') }
  }
  if (observed === undefined) {
    return { key: baseline.key, change: 'removed', fields: allFields(baseline, 'before') }
  }
  const skipped = new Set(observed.unverified ?? [])
  const names = orderAttributeNames(
    new Set([...Object.keys(baseline.attributes), ...Object.keys(observed.attributes)]),
  )
  const changed = new Set<string>()
  for (const name of names) {
    if (skipped.has(name) || name in DESCRIPTIVE_ATTRIBUTES) continue
    if ((baseline.attributes[name] ?? null) !== (observed.attributes[name] ?? null))
      changed.add(name)
  }
  if (changed.size === 0) return undefined
  const fields: Record<string, FieldChange> = {}
  for (const name of names) {
    const described = DESCRIPTIVE_ATTRIBUTES[name]
    // A name (user, group) is shown only beside its changed id.
    if (!changed.has(name) && (described === undefined || !changed.has(described))) continue
    const before = baseline.attributes[name] ?? null
    const after = observed.attributes[name] ?? null
    if (before !== null || after !== null) fields[name] = { before, after }
  }
  return { key: baseline.key, change: 'modified', fields }
}

function allFields(element: Element, side: 'before' | 'after'): Record<string, FieldChange> {
  const fields: Record<string, FieldChange> = {}
  for (const name of orderAttributeNames(Object.keys(element.attributes))) {
    const value = element.attributes[name] ?? null
    fields[name] =
      side === 'before' ? { before: value, after: null } : { before: null, after: value }
  }
  return fields
}

/**
 * Pairs removed and added elements that are the same object under a new name: same inode and
 * type, and for files the same content. Returns the changes with `renamedFrom` / `renamedTo` set.
 * Only a hint for people: the changes stay added and removed.
 */
export function markRenames(changes: readonly Change[]): Change[] {
  const removedByIdentity = new Map<string, Change>()
  for (const change of changes) {
    if (change.change !== 'removed') continue
    const identity = renameIdentity(change, 'before')
    if (identity !== undefined) removedByIdentity.set(identity, change)
  }
  if (removedByIdentity.size === 0) return [...changes]
  const renamedTo = new Map<string, string>()
  const renamedFrom = new Map<string, string>()
  for (const change of changes) {
    if (change.change !== 'added') continue
    const identity = renameIdentity(change, 'after')
    const removed = identity === undefined ? undefined : removedByIdentity.get(identity)
    if (removed === undefined || renamedTo.has(removed.key)) continue
    renamedTo.set(removed.key, change.key)
    renamedFrom.set(change.key, removed.key)
  }
  return changes.map((change) => {
    const from = renamedFrom.get(change.key)
    if (from !== undefined) return { ...change, renamedFrom: from }
    const to = renamedTo.get(change.key)
    if (to !== undefined) return { ...change, renamedTo: to }
    return change
  })
}

function renameIdentity(change: Change, side: 'before' | 'after'): string | undefined {
  const inode = change.fields['inode']?.[side]
  const type = change.fields['type']?.[side]
  if (inode === undefined || inode === null || type === undefined) return undefined
  const content = change.fields['sha256']?.[side] ?? change.fields['target']?.[side] ?? ''
  return `${String(type)}|${String(inode)}|${String(content)}`
}

export interface ChangeSummary {
  added: number
  removed: number
  modified: number
  /** How many modified elements changed each attribute. */
  byAttribute: Record<string, number>
}

export function summarizeChanges(changes: readonly Change[]): ChangeSummary {
  const summary: ChangeSummary = { added: 0, removed: 0, modified: 0, byAttribute: {} }
  for (const change of changes) {
    summary[change.change] += 1
    if (change.change !== 'modified') continue
    for (const name of Object.keys(change.fields)) {
      summary.byAttribute[name] = (summary.byAttribute[name] ?? 0) + 1
    }
  }
  return summary
}
