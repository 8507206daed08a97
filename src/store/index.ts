// Stores: the local (single-host) store interface and its SQLite adapter.
export type {
  AcceptanceRecord,
  AcceptedChange,
  BaselineHeader,
  CheckRecord,
  LocalStore,
  ObservedChange,
  StoredCheck,
} from './local-store.js'
export { SqliteLocalStore } from './sqlite/sqlite-local-store.js'
export type * from './fleet-store.js'
export { machineRelation, type MachineRelation } from './node-identity.js'
/** The fleet store pulls in Kysely and pg: loaded only by the console and `audit verify`. */
export const loadFleetStoreModule = (): Promise<typeof import('./open-fleet-store.js')> =>
  import('./open-fleet-store.js')
