// The single-host use (like AIDE or Tripwire): init, check, accept, history over a local store.
export { initBaseline, type InitResult } from './init-baseline.js'
export { checkBaseline, type CheckReport, type ReportedChange } from './check-baseline.js'
export { acceptChanges, type AcceptOptions, type AcceptResult } from './accept-changes.js'
export { readHistory, type History } from './history.js'
export type { KeySource } from './key-source.js'
export type { ScanOptions, ScanProgress } from './scan-options.js'
export {
  parseSnapshotParts,
  SNAPSHOT_PARTS,
  takeSnapshot,
  type Snapshot,
  type SnapshotOptions,
  type SnapshotPart,
} from './take-snapshot.js'
export { assessPrivilegedAccess, type PrivilegedAssessment } from './assess-privileged-access.js'
/** Assessing loads the policy engine (zod, yaml): import it only for `assess`. */
export const loadAssessModule = (): Promise<typeof import('./assess-system.js')> =>
  import('./assess-system.js')
export type { AssessOptions, SystemAssessment } from './assess-system.js'
/** Assessing a hypervisor loads its connectors too: import it only for `assess --hypervisor`. */
export const loadHypervisorAssessModule = (): Promise<typeof import('./assess-hypervisor.js')> =>
  import('./assess-hypervisor.js')
export type { HypervisorAssessOptions } from './assess-hypervisor.js'
