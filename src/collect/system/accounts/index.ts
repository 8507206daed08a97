// The accounts collector and the privileged-access analysis over what it collects.
export { accountsCollector } from './accounts-collector.js'
export {
  analyzePrivilegedAccess,
  DEFAULT_ADMIN_BOUNDS,
  ROOT_GROUPS,
  type AdminBounds,
  type AdminCount,
  type AdminVerdict,
  type GhostAccount,
  type GhostFinding,
  type IdentityKind,
  type PrivilegedAccess,
  type PrivilegedIdentity,
} from './privileged-access.js'
export { HUMAN_UIDS } from './account-view.js'
export type { PasswordState } from './password-state.js'
