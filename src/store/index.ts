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
export { openFleetStore } from './open-fleet-store.js'
