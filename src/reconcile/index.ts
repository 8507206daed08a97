// Reconciliation: change tickets, the verdict on each detected change (authorized, explained by a
// package update, pending, unauthorized) and the index that makes it fast for many tickets.
export {
  TICKET_STATES,
  APPROVED_STATES,
  isApproved,
  type ChangeTicket,
  type TicketState,
  type TicketWindow,
  type TicketScope,
} from './change-ticket.js'
export { parseTicket, type TicketParse, type TicketProblem } from './ticket-parser.js'
export { changeInterval, type DetectedChange, type ChangeInterval } from './detected-change.js'
export {
  compileNodeSelector,
  compileElementPattern,
  type ScopedNode,
  type NodeSelector,
  type ElementPattern,
} from './scope-pattern.js'
export {
  reconcileChange,
  DEFAULT_CLOCK_SKEW_MINUTES,
  type Reconciliation,
  type ReconcileOptions,
  type NearMiss,
  type TicketAspect,
} from './reconcile-change.js'
export {
  explainByPackage,
  type PackageFacts,
  type PackageOwner,
  type RecordedDigest,
  type PackageUpdate,
  type PackageExplanation,
} from './package-provenance.js'
export { packageFactsFrom, type FileProvenance, type VersionBefore } from './file-provenance.js'
export { TicketIndex } from './ticket-index.js'
export {
  verifyTicket,
  type TicketVerification,
  type VerificationChange,
  type VerifiedChange,
} from './ticket-verification.js'
