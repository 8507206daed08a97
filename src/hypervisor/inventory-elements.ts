// An inventory as one list of elements, the way snapshots hold them: the hypervisor's own and
// every VM's, sorted by key.
import type { Element } from '../model/index.js'
import type { HypervisorInventory } from './hypervisor-connector.js'

/** @example inventoryElements(inventory).map((e) => e.key) // ['vm-config:…', 'vm:web-01', 'vmm:host', …] */
export function inventoryElements(inventory: HypervisorInventory): Element[] {
  return [...inventory.elements, ...inventory.vms.flatMap((vm) => vm.elements)].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  )
}

/**
 * The inventory's problems as a report's "not checked": a VM that vanished, was renamed mid-scan
 * or could not be read is judged on what was read of it, or not at all.
 */
export function inventoryNotChecked(
  inventory: HypervisorInventory,
): { path: string; reason: string; detail: string }[] {
  return inventory.problems.map((problem) => ({
    path: problem.place,
    reason: problem.reason,
    detail: problem.detail,
  }))
}
