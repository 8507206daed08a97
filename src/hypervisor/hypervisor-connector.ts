// Hypervisor connector: the hypervisor's own view of itself and its VMs (DESIGN.md, Concepts:
// node kinds `hypervisor` and `vm`). Each implementation (libvirt through virsh, VMware vSphere
// through its Web Services API) turns what the hypervisor reports into elements, so inventories
// baseline, diff and reconcile like any other snapshot.
import type { Element, LifecycleVerb } from '../model/index.js'

export type HypervisorKind = 'libvirt' | 'vsphere'

/** What a VM's power state is, in one vocabulary for every hypervisor. */
export const VM_STATES = [
  'running',
  'paused',
  'shutoff',
  'suspended',
  'crashed',
  'blocked',
  'unknown',
] as const
export type VmState = (typeof VM_STATES)[number]

/** One VM as the hypervisor reports it. */
export interface VmRecord {
  /** The hypervisor's UUID for it (libvirt's domain UUID, vSphere's instanceUuid/BIOS uuid). */
  readonly uuid: string
  readonly name: string
  readonly state: VmState
  /** MAC addresses of its NICs, lowercase, colon-separated: a guest agent's MACs match it to this record. */
  readonly macs: readonly string[]
  /**
   * Its elements: `vm:<name>` (state and settings as attributes) and `vm-config:<uuid>` (the
   * whole configuration as content, for diffs).
   */
  readonly elements: readonly Element[]
}

/** Something the connector could not read or understand; reported, never silently skipped. */
export interface HypervisorProblem {
  /** Where: `domain:web-01`, `pool:default`, `event:1234`, the URI … */
  readonly place: string
  /** `renamed`: the VM's name changed between the list and the read of its configuration. */
  readonly reason: 'unreachable' | 'malformed' | 'vanished' | 'refused' | 'unreadable' | 'renamed'
  readonly detail: string
  /**
   * The VM the problem is about, when it is one: a VM named by a problem and missing from `vms`
   * was not read this time, so it is not taken as deleted.
   */
  readonly vmUuid?: string
}

/** One inventory of a hypervisor, taken in one pass. */
export interface HypervisorInventory {
  readonly kind: HypervisorKind
  /** The URI it was reached by, without credentials. */
  readonly uri: string
  /** The hypervisor host's name as it reports it. */
  readonly hostname: string
  readonly takenAt: string
  /** The hypervisor's own elements: `vmm:…` host settings, `vnet:…` networks, `vpool:…` pools and volumes. */
  readonly elements: readonly Element[]
  readonly vms: readonly VmRecord[]
  /**
   * Problems met on the way. A VM listed but gone before its details were read ('vanished')
   * or renamed mid-scan is a problem, not a deletion.
   */
  readonly problems: readonly HypervisorProblem[]
  /**
   * True only when the VM list itself was read whole: a VM absent from an incomplete inventory
   * is not proof that it was deleted.
   */
  readonly complete: boolean
}

export { LIFECYCLE_VERBS, type LifecycleVerb } from '../model/index.js'

/** A lifecycle event the hypervisor itself recorded (vCenter's event history), with who did it. */
export interface HypervisorEvent {
  readonly at: string
  readonly verb: LifecycleVerb
  readonly vmUuid: string | null
  readonly vmName: string
  /** The user the hypervisor names; null when it names none. */
  readonly user: string | null
  /** The hypervisor's own id for the event, so it is never counted twice. */
  readonly eventId: string
  /** The hypervisor's own words. */
  readonly message: string
}

export interface HypervisorConnector {
  readonly kind: HypervisorKind
  /** The URI, without credentials. */
  readonly uri: string
  /**
   * Reads the whole inventory.
   *
   * @throws DriftwatchError DW_ERR_HYPERVISOR_UNREACHABLE when the hypervisor cannot be reached or
   *   refuses the login; nothing is returned then, so nothing can be taken as deleted.
   */
  inventory(signal?: AbortSignal): Promise<HypervisorInventory>
  /** Lifecycle events recorded since `since` (ISO 8601), oldest first; hypervisors that keep none return []. */
  events(since: string, signal?: AbortSignal): Promise<readonly HypervisorEvent[]>
  close(): Promise<void>
}
