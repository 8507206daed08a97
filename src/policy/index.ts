// The policy engine: the language, its loader, the evaluator and waivers.
export type { Check, ElementCheck, NodeKind, Policy, PolicyTest, Severity } from './policy.js'
export { SEVERITIES } from './policy.js'
export { loadPolicyFile, loadShippedPolicies, parsePolicy } from './policy-loader.js'
export { shippedPoliciesDirectory } from './shipped-policies.js'
export {
  assess,
  type Assessment,
  type Deadlines,
  type ResultStatus,
  type TestResult,
} from './assessment.js'
export type { NodeFacts } from './evaluation-context.js'
export { collectionSpecFor } from './collection-spec.js'
export { findWaiver, loadWaivers, parseWaivers, type Waiver } from './waivers.js'
export { compareDebianVersions } from './debian-version.js'
