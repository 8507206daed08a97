// The numbers a CISO asks for: unauthorized changes (the goal is zero) per day and per node
// group, and how long changes take to be detected. Pure: computed from stored changes.
import type { FleetNode, StoredChange } from '../store/index.js'
import { DAY_MS } from '../model/index.js'

export interface ChangeMetrics {
  readonly from: string
  readonly to: string
  readonly changes: number
  readonly verdicts: Readonly<Record<string, number>>
  /** Unauthorized changes per UTC day (days without any are listed with 0). */
  readonly unauthorizedPerDay: readonly { readonly day: string; readonly count: number }[]
  /** Unauthorized changes per node group (`group:NAME` tags; `(none)` for nodes in no group). */
  readonly unauthorizedPerGroup: Readonly<Record<string, number>>
  /**
   * Mean minutes from a change to its detection. A change happened at some unknown moment
   * between the two scans that saw it: the midpoint is the estimate, and the console's receipt of
   * the second scan is the detection.
   */
  readonly meanMinutesToDetection: number | null
  /** Who resolved changes (promoted them into the baseline), where the console knows. */
  readonly resolvedBy: Readonly<Record<string, number>>
}

/**
 * @example changeMetrics(changes, nodes, { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }).unauthorizedPerDay
 */
export function changeMetrics(
  changes: readonly StoredChange[],
  nodes: readonly Pick<FleetNode, 'id' | 'tags'>[],
  range: { from: string; to: string },
): ChangeMetrics {
  const groupsOf = new Map(
    nodes.map((node) => [
      node.id,
      node.tags.filter((tag) => tag.startsWith('group:')).map((tag) => tag.slice(6)),
    ]),
  )
  const verdicts: Record<string, number> = {}
  const perDay = new Map<string, number>()
  for (let day = Date.parse(range.from.slice(0, 10)); day < Date.parse(range.to); day += DAY_MS) {
    perDay.set(new Date(day).toISOString().slice(0, 10), 0)
  }
  const perGroup: Record<string, number> = {}
  const resolvedBy: Record<string, number> = {}
  let delays = 0
  let delayed = 0
  for (const change of changes) {
    const verdict = change.verdict ?? 'not reconciled'
    verdicts[verdict] = (verdicts[verdict] ?? 0) + 1
    if (change.resolvedBy !== null && change.status === 'promoted') {
      resolvedBy[change.resolvedBy] = (resolvedBy[change.resolvedBy] ?? 0) + 1
    }
    if (change.previousScannedAt !== null) {
      const happened = (Date.parse(change.previousScannedAt) + Date.parse(change.scannedAt)) / 2
      const detected = Date.parse(change.detectedAt)
      if (!Number.isNaN(happened) && !Number.isNaN(detected)) {
        delays += Math.max(0, detected - happened)
        delayed += 1
      }
    }
    if (change.verdict !== 'unauthorized') continue
    const day = change.detectedAt.slice(0, 10)
    perDay.set(day, (perDay.get(day) ?? 0) + 1)
    const groups = groupsOf.get(change.nodeId) ?? []
    for (const group of groups.length === 0 ? ['(none)'] : groups) {
      perGroup[group] = (perGroup[group] ?? 0) + 1
    }
  }
  return {
    from: range.from,
    to: range.to,
    changes: changes.length,
    verdicts,
    unauthorizedPerDay: [...perDay].sort().map(([day, count]) => ({ day, count })),
    unauthorizedPerGroup: perGroup,
    meanMinutesToDetection: delayed === 0 ? null : Math.round(delays / delayed / 6000) / 10,
    resolvedBy,
  }
}
