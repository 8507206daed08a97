// Whether two identities an agent reported are one machine: by product UUID when both have one
// (a clone gets a new one), else by machine id; with neither on both sides, nobody can tell.
import type { NodeIdentity } from './fleet-store.js'

export type MachineRelation = 'same' | 'different' | 'unknown'

/**
 * @example machineRelation({ hostname: 'a', productUuid: 'U1' }, { hostname: 'b', productUuid: 'u1' }) // 'same'
 */
export function machineRelation(a: NodeIdentity, b: NodeIdentity): MachineRelation {
  if (a.productUuid !== undefined && b.productUuid !== undefined)
    return a.productUuid.toLowerCase() === b.productUuid.toLowerCase() ? 'same' : 'different'
  if (a.machineId !== undefined && b.machineId !== undefined)
    return a.machineId === b.machineId ? 'same' : 'different'
  return 'unknown'
}
