// The fleet store: what the console keeps for every node — enrollment, snapshots (deduplicated
// element states with their version history), changes against the baseline, results, access and
// the audit log. One interface; SQLite and PostgreSQL sit behind it (fleet/ on Kysely).
import type { Element } from '../model/index.js'
import type { HypervisorToAdd, StoredHypervisor, VmSighting } from './fleet-hypervisor-types.js'
import type {
  ChangeVerdict,
  MaintenanceWindowToSave,
  PollerStatus,
  PollToSave,
  StoredMaintenanceWindow,
  StoredTicket,
  TicketToSave,
  Verdict,
} from './fleet-ticket-types.js'

export type * from './fleet-hypervisor-types.js'
export type * from './fleet-ticket-types.js'

export type NodeStatus = 'active' | 'duplicate' | 'retired'
export type Role = 'admin' | 'operator' | 'auditor'
export type ChangeStatus = 'open' | 'promoted' | 'restored'

/** What an agent says about the machine it runs on; clones differ in product UUID or machine id. */
export interface NodeIdentity {
  readonly hostname: string
  readonly machineId?: string | undefined
  readonly productUuid?: string | undefined
  readonly macs?: readonly string[] | undefined
}

export interface FleetNode {
  readonly id: number
  readonly name: string
  readonly kind: string
  readonly tags: readonly string[]
  readonly status: NodeStatus
  readonly identity: NodeIdentity
  readonly enrolledAt: string
  readonly lastSeenAt: string | null
  readonly lastSequence: number
  readonly baselineAt: string | null
  readonly duplicateOf: number | null
  /** A VM's hypervisor node; null for other nodes. */
  readonly parentId: number | null
}

export interface NodeFilter {
  readonly kind?: string | undefined
  readonly tag?: string | undefined
  readonly status?: NodeStatus | undefined
  /** Nodes last seen before this time (or never). */
  readonly seenBefore?: string | undefined
  readonly seenAfter?: string | undefined
}

/** An element as an agent sent it; the console computes digests itself. */
export interface IncomingElement {
  readonly key: string
  /** Canonically serialized attributes (`serializeAttributes`). */
  readonly attributes: string
  readonly content?: string | undefined
  readonly unverified?: readonly string[] | undefined
}

export interface IncomingSnapshot {
  readonly uuid: string
  readonly sequence: number
  /** The sequence this delta was taken against; null for a whole snapshot. */
  readonly base: number | null
  readonly takenAt: string
  /** A whole snapshot: every element. A delta: the elements new or changed since `base`. */
  readonly elements: readonly IncomingElement[]
  /** A delta: keys gone since `base`. */
  readonly removed: readonly string[]
  /** A whole snapshot: key prefixes whose absent elements are not proof of removal. */
  readonly uncertain: readonly string[]
  readonly notChecked: readonly unknown[]
}

export interface IngestOutcome {
  /** `duplicate`: this snapshot was stored before (a resend); nothing was written. */
  readonly status: 'stored' | 'duplicate'
  readonly snapshotId: number
  readonly sequence: number
  readonly changes: number
  /** The snapshot became the node's first baseline. */
  readonly baseline: boolean
  /** Keys of the elements that changed (to decide whether policies need evaluating again). */
  readonly changedKeys: readonly string[]
}

export interface StoredChange {
  readonly id: number
  readonly nodeId: number
  readonly node: string
  readonly key: string
  readonly kind: 'added' | 'removed' | 'modified'
  readonly before: string | null
  readonly after: string | null
  readonly snapshotId: number
  readonly previousSnapshotId: number
  readonly detectedAt: string
  /** When the agent took the snapshot that saw the change, and the one before (its clock). */
  readonly scannedAt: string
  readonly previousScannedAt: string | null
  readonly status: ChangeStatus
  readonly resolvedAt: string | null
  readonly resolvedBy: string | null
  readonly reason: string | null
  /** Reconciliation: null until the change was reconciled. */
  readonly verdict: Verdict | null
  readonly ticketId: number | null
  readonly verdictReason: string | null
  /** A VM change's lifecycle verbs (`created`, `started` …); null for other changes. */
  readonly lifecycle: readonly string[] | null
  /** Who did it, where the hypervisor says. */
  readonly performedBy: string | null
}

export interface ChangeFilter {
  readonly nodeId?: number | undefined
  /** The changes one snapshot brought. */
  readonly snapshotId?: number | undefined
  readonly status?: ChangeStatus | undefined
  readonly from?: string | undefined
  readonly to?: string | undefined
  /** Changes promoted or restored at or after `resolvedFrom` and before `resolvedTo`. */
  readonly resolvedFrom?: string | undefined
  readonly resolvedTo?: string | undefined
  /** Changes after this id (to page through many). */
  readonly afterId?: number | undefined
  readonly limit?: number | undefined
  /** Newest first (the `limit` newest), instead of oldest first. */
  readonly newestFirst?: boolean | undefined
  /** Only changes a ticket may still settle: not reconciled yet, unauthorized or pending. */
  readonly unsettled?: boolean | undefined
}

export interface ElementVersion {
  readonly attributes: string
  readonly contentSha256: string | null
  readonly fromSnapshot: number
  readonly toSnapshot: number | null
  readonly seenAt: string
}

export interface StoredResult {
  readonly nodeId: number
  readonly policy: string
  readonly test: string
  readonly status: string
  readonly severity: string
  readonly firstFailed: string | null
  /** The snapshot since which the result has held as it is. */
  readonly snapshotId: number
  /** The whole result as the assessment gave it. */
  readonly detail: Readonly<Record<string, unknown>>
}

export interface ResultToStore {
  readonly policy: string
  readonly test: string
  readonly status: string
  readonly severity: string
  readonly detail: Readonly<Record<string, unknown>>
}

export interface User {
  readonly id: number
  readonly name: string
  readonly role: Role
  readonly passwordHash: string
}

export interface AuditEntry {
  readonly id: number
  readonly at: string
  readonly actor: string
  readonly action: string
  readonly subject: Readonly<Record<string, unknown>>
  readonly previousHash: string
  readonly hash: string
}

export interface AuditRecord {
  readonly actor: string
  readonly action: string
  readonly subject: Readonly<Record<string, unknown>>
}

export interface StoredWaiver {
  readonly id: number
  readonly waiver: Readonly<Record<string, unknown>>
  readonly createdBy: string
  readonly createdAt: string
}

export interface EnrollmentRequest {
  readonly tokenHash: string
  readonly credentialHash: string
  readonly name: string
  readonly kind: string
  readonly identity: NodeIdentity
  readonly now: string
}

export interface EnrollmentTokenInfo {
  readonly id: number
  readonly tags: readonly string[]
  readonly reusable: boolean
  readonly createdBy: string
  readonly createdAt: string
  readonly expiresAt: string
  readonly usedAt: string | null
  readonly nodeId: number | null
}

export interface FleetStatistics {
  readonly nodes: number
  readonly snapshots: number
  readonly elementKeys: number
  readonly elementStates: number
  readonly elementVersions: number
  readonly contents: number
  readonly changes: number
}

export interface FleetStore {
  readonly dialect: 'sqlite' | 'postgres'
  /** Brings the schema up to date (safe to run from several consoles at once). */
  migrate(): Promise<void>
  close(): Promise<void>
  /** Bytes the database occupies (for the benchmarks' bytes per node and per rescan). */
  storageBytes(): Promise<number>
  /** Row counts of the main tables: how much deduplication saves, for benchmarks and tests. */
  statistics(): Promise<FleetStatistics>

  createEnrollmentToken(input: {
    tokenHash: string
    tags: readonly string[]
    /** A template's token: every clone enrolls with it until it expires. */
    reusable: boolean
    createdBy: string
    expiresAt: string
    now: string
  }): Promise<number>
  /** Exchanges a valid, unused, unexpired token for a node; undefined when the token is not. */
  enrollNode(request: EnrollmentRequest): Promise<FleetNode | undefined>
  nodeByCredential(credentialHash: string): Promise<FleetNode | undefined>
  node(id: number): Promise<FleetNode | undefined>
  listNodes(filter: NodeFilter): Promise<FleetNode[]>
  /** Retires a node: its credential stops working; its history stays. False when unknown. */
  retireNode(id: number, actor: string, now: string): Promise<boolean>
  /** Replaces a node's tags (environment, service, owner, `group:NAME` …); audited. */
  setNodeTags(id: number, tags: readonly string[], actor: string, now: string): Promise<boolean>
  /** Sets a user's password hash; audited (never the hash). */
  setPassword(userId: number, passwordHash: string, actor: string, now: string): Promise<void>
  listEnrollmentTokens(): Promise<EnrollmentTokenInfo[]>
  /** Records that a node's agent reported an identity that is not the node's (a clone). */
  reportIdentityConflict(nodeId: number, reported: NodeIdentity, now: string): Promise<void>

  /** Stores a snapshot, diffs it against the baseline and records the changes, atomically. */
  ingestSnapshot(nodeId: number, snapshot: IncomingSnapshot, now: string): Promise<IngestOutcome>
  /**
   * The node's elements as of its newest snapshot; `wanted` picks keys. Given the snapshot the
   * caller just stored (`asOfSnapshot`), the store may answer from what it keeps in memory.
   */
  currentElements(
    nodeId: number,
    wanted?: (key: string) => boolean,
    asOfSnapshot?: number,
  ): Promise<Map<string, Element>>
  /** A page of the node's current elements in key order, after a key and under a prefix. */
  elementsPage(
    nodeId: number,
    options: { prefix: string; after: string; limit: number },
  ): Promise<Element[]>
  elementVersions(nodeId: number, key: string): Promise<ElementVersion[]>
  content(sha256: string): Promise<string | undefined>

  listChanges(filter: ChangeFilter): Promise<StoredChange[]>
  /** Makes the node's current state of the elements its baseline; `all` takes every deviation. */
  promote(input: {
    nodeId: number
    keys: readonly string[] | 'all'
    actor: string
    reason: string
    now: string
  }): Promise<{ promoted: readonly string[] }>

  /** Replaces the node's results, keeping when each failing test first failed. */
  recordResults(
    nodeId: number,
    snapshotId: number,
    results: readonly ResultToStore[],
    now: string,
  ): Promise<void>
  listResults(filter: {
    nodeId?: number
    policy?: string
    test?: string
    status?: string
  }): Promise<StoredResult[]>
  evaluatedSnapshot(nodeId: number): Promise<number | null>
  /** The id of the node's newest stored snapshot; null before its first. */
  latestSnapshotId(nodeId: number): Promise<number | null>
  /** When each failing test (`policy/test`) of the node first failed. */
  firstFailures(nodeId: number): Promise<Map<string, string>>

  addWaiver(waiver: Readonly<Record<string, unknown>>, actor: string, now: string): Promise<number>
  listWaivers(): Promise<StoredWaiver[]>
  deleteWaiver(id: number, actor: string, now: string): Promise<boolean>

  createUser(input: {
    name: string
    passwordHash: string
    role: Role
    actor: string
    now: string
  }): Promise<number>
  userByName(name: string): Promise<User | undefined>
  userById(id: number): Promise<User | undefined>
  listUsers(): Promise<User[]>
  countUsers(): Promise<number>
  createSession(tokenHash: string, userId: number, now: string, expiresAt: string): Promise<void>
  sessionUser(tokenHash: string, now: string): Promise<User | undefined>
  deleteSession(tokenHash: string): Promise<void>
  createApiToken(input: {
    tokenHash: string
    userId: number
    name: string
    expiresAt: string | null
    actor: string
    now: string
  }): Promise<number>
  apiTokenUser(tokenHash: string, now: string): Promise<User | undefined>
  listApiTokens(): Promise<
    {
      id: number
      name: string
      user: string
      createdAt: string
      expiresAt: string | null
      lastUsedAt: string | null
    }[]
  >
  revokeApiToken(id: number, actor: string, now: string): Promise<boolean>

  /** Creates or updates a ticket by its external reference; unchanged content writes nothing. */
  saveTicket(
    ticket: TicketToSave,
    actor: string,
    now: string,
  ): Promise<{ id: number; outcome: 'created' | 'updated' | 'unchanged' }>
  /**
   * Changes whenever any ticket or maintenance window is saved: lets a console keep its ticket
   * index in memory.
   */
  ticketsVersion(): Promise<string>
  /** Tickets in the given states, whose window has not ended by `openAt` (when given). */
  listTickets(filter: { states?: readonly string[]; openAt?: string }): Promise<StoredTicket[]>
  /** Stores a maintenance window (audited); the ticket must exist. */
  createMaintenanceWindow(
    window: MaintenanceWindowToSave,
    actor: string,
    now: string,
  ): Promise<StoredMaintenanceWindow>
  /** Ends a window now (audited); undefined when there is none, unchanged when it had ended. */
  endMaintenanceWindow(
    id: number,
    actor: string,
    now: string,
  ): Promise<StoredMaintenanceWindow | undefined>
  /** Windows that have not ended by `openAt` (when given), oldest first. */
  listMaintenanceWindows(filter: { openAt?: string }): Promise<StoredMaintenanceWindow[]>
  /** Registers a hypervisor and its node (audited); DW_ERR_USAGE when it is collected already. */
  addHypervisor(hypervisor: HypervisorToAdd, actor: string, now: string): Promise<StoredHypervisor>
  /** Stops collecting it and retires its node and its VMs' nodes (audited); false when unknown. */
  removeHypervisor(id: number, actor: string, now: string): Promise<boolean>
  listHypervisors(): Promise<StoredHypervisor[]>
  /** The VMs' nodes among the hypervisor's, by UUID; created on first sight (audited `node.appeared`). */
  sightVms(
    parentId: number,
    sightings: readonly VmSighting[],
    now: string,
  ): Promise<{ node: FleetNode; created: boolean }[]>
  /** Records the lifecycle verbs of VM changes, and who did them where known. */
  annotateLifecycle(
    entries: readonly { changeId: number; verbs: readonly string[]; performedBy: string | null }[],
  ): Promise<void>
  /** Stores reconciliation verdicts; an unauthorized change authorized later is audited. */
  recordVerdicts(
    verdicts: readonly ChangeVerdict[],
    actor: string,
    now: string,
  ): Promise<{ changed: number; retroactive: readonly number[] }>

  /** Appends to the hash-chained audit log. */
  audit(record: AuditRecord, now: string): Promise<AuditEntry>
  auditEntries(options: { afterId?: number; limit?: number }): Promise<AuditEntry[]>
  /** The newest entry of one action, e.g. the last `policies.loaded`. */
  lastAuditOf(action: string): Promise<AuditEntry | undefined>

  /** Where a ticket-system poller stands; undefined before it first polled. */
  pollerCursor(name: string): Promise<PollerStatus | undefined>
  /**
   * Takes (or renews) a poller's lease for `holder` when nobody else holds one that runs past
   * `now`: only one console polls a source at a time.
   */
  leasePoller(lease: {
    name: string
    endpoint: string
    holder: string
    now: string
    until: string
  }): Promise<boolean>
  /**
   * Records a poll and the cursor to go on from (after its tickets were saved), renewing the
   * lease; writes nothing and answers false when `status.holder` no longer holds it.
   */
  savePollerCursor(name: string, cursor: string | null, status: PollToSave): Promise<boolean>
  /** Gives the lease up (a console that stops), so another console polls without waiting. */
  releasePoller(name: string, holder: string): Promise<void>
  pollerStatuses(): Promise<PollerStatus[]>
}
