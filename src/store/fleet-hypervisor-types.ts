// What the fleet store keeps of hypervisors the console collects, and of the VMs they report.

/** A hypervisor for the console to collect on a schedule. */
export interface HypervisorToAdd {
  /** `libvirt:<URI>` or `vsphere:<URL>`, without a password. */
  readonly spec: string
  /** Its node's name. */
  readonly name: string
  readonly intervalSeconds: number
  readonly tags: readonly string[]
}

export interface StoredHypervisor extends HypervisorToAdd {
  readonly id: number
  /** Its node (kind `hypervisor`). */
  readonly nodeId: number
  readonly createdBy: string
  readonly createdAt: string
}

/** A VM as one inventory reported it: found again among its hypervisor's VMs by UUID. */
export interface VmSighting {
  readonly uuid: string
  readonly name: string
  readonly macs: readonly string[]
  /** Tags a new VM node starts with. */
  readonly tags: readonly string[]
}
