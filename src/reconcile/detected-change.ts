// A detected change as reconciliation needs it: the store's change row plus the node's scope facts
// and the time of the scan before the one that found it (the change happened in between).
import type { ScopedNode } from './scope-pattern.js'

export interface DetectedChange {
  /** Element key, `file:/etc/nginx/nginx.conf`. */
  readonly key: string
  readonly kind: 'added' | 'removed' | 'modified'
  /** Serialized attributes (`serializeAttributes`) at the previous scan; null when added. */
  readonly before: string | null
  /** Serialized attributes at the detecting scan; null when removed. */
  readonly after: string | null
  readonly node: ScopedNode
  /** When the scan that last saw the element unchanged was taken. */
  readonly previousScanAt: string
  /** When the scan that found the change was taken. */
  readonly detectedAt: string
  /** What the hypervisor says happened to the VM (`created`, `started` …); absent for other changes. */
  readonly verbs?: readonly string[] | undefined
}

/** The interval in which the change happened, in epoch milliseconds. */
export interface ChangeInterval {
  readonly from: number
  readonly to: number
}

/**
 * The interval between the two scans that saw the change.
 *
 * @example changeInterval({ previousScanAt: '2025-03-01T00:00:00Z', detectedAt: '2025-03-01T06:00:00Z', … })
 * // { from: 1740787200000, to: 1740808800000 }
 */
export function changeInterval(
  change: Pick<DetectedChange, 'previousScanAt' | 'detectedAt'>,
): ChangeInterval {
  const from = Date.parse(change.previousScanAt)
  const to = Date.parse(change.detectedAt)
  if (Number.isNaN(from) || Number.isNaN(to))
    throw new Error(`change times are not ISO 8601: ${change.previousScanAt}, ${change.detectedAt}`)
  // An agent clock that ran backwards between scans must not make an empty interval.
  return from <= to ? { from, to } : { from: to, to: from }
}
