// The console's tables, as Kysely sees them. One schema for SQLite and PostgreSQL: times are
// ISO-8601 UTC text (they sort as text in both), JSON is text, ids are integers.
import type { Generated } from 'kysely'

export interface FleetDatabase {
  nodes: NodesTable
  snapshots: SnapshotsTable
  element_keys: ElementKeysTable
  element_states: ElementStatesTable
  contents: ContentsTable
  element_versions: ElementVersionsTable
  baseline_deviations: BaselineDeviationsTable
  changes: ChangesTable
  results: ResultsTable
  enrollment_tokens: EnrollmentTokensTable
  users: UsersTable
  sessions: SessionsTable
  api_tokens: ApiTokensTable
  waivers: WaiversTable
  audit_log: AuditLogTable
  tickets: TicketsTable
  maintenance_windows: MaintenanceWindowsTable
  hypervisors: HypervisorsTable
  revisions: RevisionsTable
}

export interface RevisionsTable {
  /** `tickets` */
  name: string
  value: number
}

export interface HypervisorsTable {
  id: Generated<number>
  /** The hypervisor's own node (kind `hypervisor`). */
  node_id: number
  spec: string
  interval_seconds: number
  created_by: string
  created_at: string
  /** Set when it was removed: its node is retired, its VMs' history kept. */
  removed_at: string | null
}

export interface MaintenanceWindowsTable {
  id: Generated<number>
  ticket_id: number
  name: string
  /** JSON array of node selectors. */
  nodes: string
  /** JSON array of element patterns. */
  elements: string
  starts_at: string
  ends_at: string
  created_by: string
  created_at: string
  ended_by: string | null
  updated_at: string
}

export interface TicketsTable {
  id: Generated<number>
  /** The ticket's id in its own system (CHG0030001, OPS-12) or the import's. */
  external_ref: string
  /** api | csv | json | servicenow | jira */
  source: string
  /** requested | approved | scheduled | implemented | closed | rejected */
  state: string
  window_start: string | null
  window_end: string | null
  /** JSON of the whole ticket: title, approver, scope … */
  document: string
  created_at: string
  updated_at: string
}

export interface NodesTable {
  id: Generated<number>
  name: string
  kind: string
  /** JSON array of strings. */
  tags: string
  /** active | duplicate | retired */
  status: string
  /** JSON: what the agent reported about itself (machine id, hostname, boot id …). */
  identity: string
  /** SHA-256 of the agent's credential; null for nodes no agent writes (hypervisor VMs). */
  credential_hash: string | null
  enrolled_at: string
  last_seen_at: string | null
  /** Sequence number of the newest stored snapshot; 0 before the first. */
  last_sequence: number
  /** Set when the first snapshot became the node's baseline. */
  baseline_at: string | null
  /** The node whose identity this one duplicates (a clone reporting as its template). */
  duplicate_of: number | null
  /** Snapshot whose elements the stored results were evaluated from. */
  evaluated_snapshot: number | null
  /** A VM's hypervisor node; null for other nodes. */
  parent_id: number | null
}

export interface SnapshotsTable {
  id: Generated<number>
  node_id: number
  /** The agent's id for the snapshot: a resend carries the same one. */
  uuid: string
  sequence: number
  /** Sequence of the snapshot a delta was taken against; null for a whole snapshot. */
  base_sequence: number | null
  taken_at: string
  received_at: string
  element_count: number
  change_count: number
  /** JSON array of what the agent could not look at. */
  not_checked: string
}

export interface ElementKeysTable {
  id: Generated<number>
  key: string
}

export interface ElementStatesTable {
  id: Generated<number>
  /** SHA-256 (base64url) of the canonical attributes and the content digest. */
  digest: string
  attributes: string
  content_sha256: string | null
  /** JSON array of attribute names that could not be read, or null. */
  unverified: string | null
}

export interface ContentsTable {
  sha256: string
  body: string
}

export interface ElementVersionsTable {
  node_id: number
  key_id: number
  state_id: number
  /** Snapshot that first saw this state. */
  from_snapshot: number
  /** Snapshot that first saw it gone or changed; null while current. */
  to_snapshot: number | null
}

/** Rows only where the node's baseline differs from what it has now. */
export interface BaselineDeviationsTable {
  node_id: number
  key_id: number
  /** The baseline's state of the element; null when the baseline does not have it. */
  baseline_state: number | null
}

export interface ChangesTable {
  id: Generated<number>
  node_id: number
  key_id: number
  /** added | removed | modified */
  kind: string
  before_state: number | null
  after_state: number | null
  /** The snapshot that saw the change, and the one before it (the change happened in between). */
  snapshot_id: number
  previous_snapshot_id: number
  detected_at: string
  /** open | promoted | restored */
  status: string
  resolved_at: string | null
  resolved_by: string | null
  resolution_reason: string | null
  /** authorized | explained | unauthorized | pending; null until reconciled. */
  verdict: string | null
  ticket_id: number | null
  verdict_reason: string | null
  /** Comma-separated lifecycle verbs of a VM change (`created`, `started,reconfigured`). */
  lifecycle: string | null
  /** Who did it, where the hypervisor says (vCenter's events). */
  performed_by: string | null
  reconciled_at: string | null
}

export interface ResultsTable {
  node_id: number
  policy: string
  test: string
  status: string
  severity: string
  /** JSON of the whole result (actual, expected, evidence, refs, deadline …). */
  result: string
  /** SHA-256 of `result`: a re-evaluation compares digests, not whole results. */
  result_digest: string
  first_failed: string | null
  snapshot_id: number
}

export interface EnrollmentTokensTable {
  id: Generated<number>
  token_hash: string
  /** JSON array of tags given to the node that enrolls with it. */
  tags: string
  created_by: string
  created_at: string
  expires_at: string
  /** 1 for a token baked into a VM template: every clone enrolls with it. */
  reusable: number
  used_at: string | null
  node_id: number | null
}

export interface UsersTable {
  id: Generated<number>
  name: string
  password_hash: string
  /** admin | operator | auditor */
  role: string
  created_at: string
}

export interface SessionsTable {
  token_hash: string
  user_id: number
  created_at: string
  expires_at: string
}

export interface ApiTokensTable {
  id: Generated<number>
  token_hash: string
  user_id: number
  name: string
  created_at: string
  expires_at: string | null
  last_used_at: string | null
}

export interface WaiversTable {
  id: Generated<number>
  /** JSON of the waiver (tests, nodes, justification, approver, expires). */
  waiver: string
  created_by: string
  created_at: string
}

export interface AuditLogTable {
  id: number
  at: string
  actor: string
  action: string
  /** JSON of what the action was about. */
  subject: string
  previous_hash: string
  hash: string
}
