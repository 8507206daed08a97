// The policy engine: the language, its loader, the evaluator and waivers.
export type { Check, ElementCheck, NodeKind, Policy, PolicyTest, Severity } from './policy.js'
export { SEVERITIES } from './policy.js'
export { loadPolicyFile, loadShippedPolicies } from './policy-loader.js'
/** The policy parser loads yaml and zod: import it only to parse. */
export const loadPolicyParser = (): Promise<typeof import('./policy-parser.js')> =>
  import('./policy-parser.js')
export { shippedPoliciesDirectory } from './shipped-policies.js'
export { resolvePolicies } from './resolve-policies.js'
export {
  assess,
  type Assessment,
  type Deadlines,
  type ResultStatus,
  type TestResult,
} from './assessment.js'
export type { NodeFacts } from './evaluation-context.js'
export { collectionSpecFor } from './collection-spec.js'
export { elementsRead } from './elements-read.js'
export { findWaiver } from './waiver-match.js'
export type { Waiver } from './waivers.js'
/** Reading waivers loads yaml and zod: import it only when there is a waivers file. */
export const loadWaiversModule = (): Promise<typeof import('./waivers.js')> =>
  import('./waivers.js')
export { compareDebianVersions } from './debian-version.js'
