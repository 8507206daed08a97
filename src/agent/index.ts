// The driftwatch agent: enroll with a token, collect on a schedule, push snapshots to the
// console, spool them to disk while it cannot be reached (docs/agent.md).
export { runAgent, runAgentOnce } from './run-agent.js'
export type { AgentCycleResult, AgentIo, AgentOptions } from './run-agent.js'
export type { PushedSnapshot } from './spool-sender.js'
export type { AgentCredential, CollectionSpec } from './agent-state.js'
export { readMachineIdentity, isOtherMachine } from './machine-identity.js'
export { parseEnrollmentToken, type EnrollmentToken } from './enrollment-token.js'
