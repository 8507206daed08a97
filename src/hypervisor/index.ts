// Hypervisors: connectors that read a hypervisor's own view of itself and its VMs.
export {
  LIFECYCLE_VERBS,
  type HypervisorKind,
  type VmState,
  type VmRecord,
  type HypervisorProblem,
  type HypervisorInventory,
  type LifecycleVerb,
  type HypervisorEvent,
  type HypervisorConnector,
} from './hypervisor-connector.js'
export { lifecycleChanges, type LifecycleChange } from './lifecycle-changes.js'
export {
  textWithoutCredentials,
  uriHasPassword,
  uriWithoutCredentials,
} from './uri-without-credentials.js'
export { inventoryElements, inventoryNotChecked } from './inventory-elements.js'
export {
  openHypervisorConnector,
  parseHypervisorSpec,
  readHypervisorInventory,
  type OpenConnectorOptions,
} from './open-connector.js'
