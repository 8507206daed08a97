// Polling one ticket system (ServiceNow or Jira) from the console: on its interval, first at start;
// tickets go through the one intake, and the cursor is stored only once they are saved, so a crash
// between the two reads them again rather than skipping them. A per-source lease in the store lets
// several consoles share a database while one polls. Failures back off and are shown, not thrown.
import type { FastifyBaseLogger } from 'fastify'
import type { ResolvedConsoleConfig } from '../config/index.js'
import { DEFAULTS } from '../config/index.js'
import {
  describePollFailure,
  pollJira,
  pollServiceNow,
  type ImportedTicket,
  type TicketPoll,
} from '../reconcile/sources/index.js'
import type { PollerStatus } from '../store/index.js'
import type { ConsoleContext } from './console-context.js'
import { changeTicketInput, takeInTickets, type IntakeResult } from './ticket-intake.js'

export type TicketSource = ResolvedConsoleConfig['ticketSources'][number]

export interface TicketPollingOptions {
  readonly source: TicketSource
  readonly context: ConsoleContext
  /** The app's logger, once there is an app. */
  readonly log: () => Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>
  /** This console in leases: unique among the consoles sharing the database. */
  readonly holder: string
  readonly firstRetrySeconds?: number
  readonly leaseGraceSeconds?: number
}

export class TicketPolling {
  readonly name: string
  readonly endpoint: string
  private readonly intervalMs: number
  private readonly firstRetryMs: number
  private readonly leaseGraceMs: number
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = false
  /** Failed polls in a row, by this console: the backoff. */
  private failures = 0
  /** So that a console waiting for another's lease says so once, not at every check. */
  private waitingSaid = false

  constructor(private readonly options: TicketPollingOptions) {
    const { source } = options
    this.name = source.kind
    this.endpoint =
      source.kind === 'servicenow'
        ? new URL(source.poller.instance).origin
        : source.poller.baseUrl.replace(/\/$/, '')
    this.intervalMs = source.everySeconds * 1000
    this.firstRetryMs = Math.min(
      (options.firstRetrySeconds ?? DEFAULTS.ticketPolling.firstRetrySeconds) * 1000,
      this.intervalMs,
    )
    // A slow poll reads several pages, each up to the timeout: the lease must outlast it.
    const timeoutMs = source.poller.timeoutMs ?? 30_000
    this.leaseGraceMs = Math.max(
      (options.leaseGraceSeconds ?? DEFAULTS.ticketPolling.leaseGraceSeconds) * 1000,
      4 * timeoutMs,
    )
  }

  /** Polls now, then on the interval. */
  start(): void {
    this.schedule(0)
  }

  /** Resolves once no poll is in flight and the lease is given up. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    while (this.running !== undefined) await this.running
    await this.options.context.store
      .releasePoller(this.name, this.options.holder)
      .catch((error: unknown) =>
        this.options.log().error({ err: error }, `${this.name}: lease not released`),
      )
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.running = this.pollOnce()
        .catch((error: unknown) => {
          this.options.log().error({ err: error, source: this.name }, 'ticket polling failed')
          return this.backoff()
        })
        .then((nextMs) => {
          this.running = undefined
          this.schedule(nextMs)
        })
    }, delayMs)
    // The console's server keeps the process alive; a poll waiting for its turn should not.
    this.timer.unref()
  }

  /** One turn: take the lease, poll, save tickets, then the cursor. Answers the wait until the next. */
  private async pollOnce(): Promise<number> {
    const { context, holder } = this.options
    const { store } = context
    const started = context.now()
    const leased = await store.leasePoller({
      name: this.name,
      endpoint: this.endpoint,
      holder,
      now: started.toISOString(),
      until: new Date(started.getTime() + this.intervalMs + this.leaseGraceMs).toISOString(),
    })
    if (!leased) {
      if (!this.waitingSaid) {
        this.options.log().info({ source: this.name }, `${this.name}: another console polls it`)
        this.waitingSaid = true
      }
      return this.intervalMs
    }
    this.waitingSaid = false
    const stored = await store.pollerCursor(this.name)
    // A cursor read from another instance means nothing here: start from the beginning.
    const cursor = stored?.endpoint === this.endpoint ? (stored.cursor ?? undefined) : undefined
    const poll = await this.poll(cursor)
    if (!poll.ok) return this.recordFailure(describePollFailure(poll), cursor, stored)
    const actor = `poller:${this.name}`
    let taken: IntakeResult
    try {
      taken = await takeInTickets(
        context,
        poll.tickets.map((ticket) => ({
          input: changeTicketInput(withApprovalTime(ticket)),
          place: `${this.name} ${ticket.externalRef}`,
          source: ticket.source,
        })),
        actor,
        poll.problems,
      )
    } catch (error) {
      // The cursor stays: the tickets of this poll are read again next time.
      const reason = error instanceof Error ? error.message : String(error)
      return this.recordFailure(`saving the tickets read: ${reason}`, cursor, stored)
    }
    const at = context.now()
    const saved = await store.savePollerCursor(this.name, poll.cursor ?? null, {
      ok: true,
      holder,
      endpoint: this.endpoint,
      at: at.toISOString(),
      ticketsRead: poll.tickets.length,
      // A poll reports the tickets it could not read this time: the record keeps the newest.
      problems: [...(stored?.problems ?? []), ...taken.problems],
      ...this.nextTimes(at, this.intervalMs),
    })
    if (!saved) {
      this.options.log().warn({ source: this.name }, `${this.name}: lease lost during a poll`)
    }
    if ((stored?.failures ?? 0) > 0) {
      await store.audit(
        {
          actor,
          action: 'tickets.poll-recovered',
          subject: { source: this.name, endpoint: this.endpoint, failures: stored?.failures },
        },
        at.toISOString(),
      )
    }
    this.failures = 0
    this.options.log().info(
      {
        source: this.name,
        read: poll.tickets.length,
        created: taken.created,
        updated: taken.updated,
        problems: taken.problems.length,
      },
      `${this.name}: tickets polled`,
    )
    return this.intervalMs
  }

  private poll(cursor: string | undefined): Promise<TicketPoll> {
    const { source } = this.options
    return source.kind === 'servicenow'
      ? pollServiceNow(source.poller, cursor)
      : pollJira(source.poller, cursor)
  }

  private async recordFailure(
    cause: string,
    cursor: string | undefined,
    stored: PollerStatus | undefined,
  ): Promise<number> {
    const { context, holder } = this.options
    const wait = this.backoff()
    const at = context.now()
    await context.store.savePollerCursor(this.name, cursor ?? null, {
      ok: false,
      holder,
      endpoint: this.endpoint,
      at: at.toISOString(),
      error: cause,
      ...this.nextTimes(at, wait),
    })
    // Once per run of failures: while a ticket system is down, changes it would have authorized
    // stand unauthorized, and an auditor should be able to see when and why.
    if ((stored?.failures ?? 0) === 0) {
      await context.store.audit(
        {
          actor: `poller:${this.name}`,
          action: 'tickets.poll-failed',
          subject: { source: this.name, endpoint: this.endpoint, cause },
        },
        at.toISOString(),
      )
    }
    this.options
      .log()
      .warn({ source: this.name, retryInSeconds: wait / 1000 }, `ticket poll failed: ${cause}`)
    return wait
  }

  /** Doubles from the first retry, never past the interval. */
  private backoff(): number {
    this.failures += 1
    return Math.min(this.intervalMs, this.firstRetryMs * 2 ** (this.failures - 1))
  }

  private nextTimes(at: Date, waitMs: number): { nextPollAt: string; leasedUntil: string } {
    return {
      nextPollAt: new Date(at.getTime() + waitMs).toISOString(),
      leasedUntil: new Date(at.getTime() + waitMs + this.leaseGraceMs).toISOString(),
    }
  }
}

const APPROVED_STATES = new Set(['approved', 'scheduled', 'implemented', 'closed'])

/**
 * Neither ServiceNow's change_request nor a Jira issue says when it was approved, and the intake
 * requires that time of an approved ticket. The record's last update is the latest it can have
 * been: reading it so can only make an authorization look later (retroactive), never earlier.
 */
function withApprovalTime(ticket: ImportedTicket): ImportedTicket {
  if (ticket.approvedAt !== undefined || !APPROVED_STATES.has(ticket.state)) return ticket
  return ticket.updatedAt === undefined ? ticket : { ...ticket, approvedAt: ticket.updatedAt }
}
