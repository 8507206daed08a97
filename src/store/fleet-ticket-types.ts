// What the fleet store keeps for reconciliation: change tickets, maintenance windows, the verdict
// on each change, and where each ticket-system poller stands.

export type Verdict = 'authorized' | 'explained' | 'unauthorized' | 'pending'

export interface ChangeVerdict {
  readonly changeId: number
  readonly verdict: Verdict
  /** The ticket that authorizes the change; null otherwise. */
  readonly ticketId: number | null
  /** Why: the ticket, the package update, or why no ticket applied. */
  readonly reason: string
}

export interface TicketToSave {
  readonly externalRef: string
  readonly source: string
  readonly state: string
  readonly windowStart: string | null
  readonly windowEnd: string | null
  /** The whole ticket (title, approver, scope …), as the reconciliation core reads it. */
  readonly document: Readonly<Record<string, unknown>>
}

export interface StoredTicket extends TicketToSave {
  readonly id: number
  readonly createdAt: string
  readonly updatedAt: string
}

/** A period on some node groups during which a ticket authorizes what its patterns name there. */
export interface MaintenanceWindowToSave {
  /** The stored ticket's id. */
  readonly ticketId: number
  readonly name: string
  /** Node selectors: `group:NAME`, `tag:TAG`, `name:GLOB`. */
  readonly nodes: readonly string[]
  /** Element patterns, `kind:GLOB`. */
  readonly elements: readonly string[]
  readonly startsAt: string
  readonly endsAt: string
}

export interface StoredMaintenanceWindow extends MaintenanceWindowToSave {
  readonly id: number
  /** The ticket's external reference (`CHG0030001`). */
  readonly ticketRef: string
  readonly createdBy: string
  readonly createdAt: string
  /** Who ended it before its planned end; null while it ran or runs its course. */
  readonly endedBy: string | null
}

export interface PollerStatus {
  /** `servicenow`, `jira` */
  readonly name: string
  /** The instance or site polled, without credentials. */
  readonly endpoint: string
  readonly cursor: string | null
  readonly lastPollAt: string | null
  readonly lastSuccessAt: string | null
  /** The cause of the last failed poll, kept after a success for the record. */
  readonly lastError: string | null
  readonly lastErrorAt: string | null
  /** Failed polls since the last that succeeded. */
  readonly failures: number
  /** Tickets the last successful poll read. */
  readonly ticketsRead: number
  /** The newest lines about tickets that could not be read. */
  readonly problems: readonly string[]
  readonly nextPollAt: string | null
  readonly leasedBy: string | null
  readonly leasedUntil: string | null
}

export type PollToSave = {
  readonly holder: string
  /** The endpoint the cursor belongs to. */
  readonly endpoint: string
  readonly at: string
  readonly nextPollAt: string
  readonly leasedUntil: string
} & (
  | {
      readonly ok: true
      readonly ticketsRead: number
      /** What the record keeps of the problems now (the newest are kept). */
      readonly problems: readonly string[]
    }
  | { readonly ok: false; readonly error: string }
)
