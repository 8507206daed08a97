// When the console collects each hypervisor: on its interval, and on demand. Consoles sharing a
// database take a lease for the time of one collection only (as ticket pollers do for a poll), so
// two never collect one hypervisor at once and any of them may collect the next time it is due.
// A hypervisor that cannot be reached is recorded as a failed collection and tried again on the
// next interval; nothing it reported is taken as gone.
import {
  openHypervisorConnector,
  uriWithoutCredentials,
  type HypervisorConnector,
} from '../hypervisor/index.js'
import { DriftwatchError } from '../errors/index.js'
import type { PollerStatus, StoredHypervisor } from '../store/index.js'
import type { ConsoleContext } from './console-context.js'
import { collectHypervisor, type CollectionOutcome } from './hypervisor-collection.js'

/** How often the console looks for hypervisors that are due. */
const TICK_MS = 15_000
/** A collection still running after this long is taken as dead: another console may take over. */
const LEASE_MS = 10 * 60_000

export interface ScheduleLog {
  info(object: object, message: string): void
  warn(object: object, message: string): void
}

/** The lease and status row of a hypervisor, among the pollers' (`GET /api/v1/hypervisors`). */
export function collectorName(hypervisor: Pick<StoredHypervisor, 'id'>): string {
  return `hypervisor:${hypervisor.id}`
}

export class HypervisorSchedule {
  private timer: NodeJS.Timeout | undefined
  private readonly inFlight = new Map<number, Promise<CollectionOutcome>>()
  private stopped = false

  constructor(
    private readonly context: () => ConsoleContext,
    /** This console in leases: unique among the consoles sharing the database. */
    private readonly holder: string,
    private readonly log: () => ScheduleLog,
    private readonly open: (spec: string) => HypervisorConnector = (spec) =>
      openHypervisorConnector(spec, { env: process.env }),
  ) {}

  start(): void {
    const tick = (): void => {
      if (this.stopped) return
      void this.collectDue()
        .catch((error: unknown) => this.log().warn({ err: error }, 'hypervisor collection failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, TICK_MS).unref()
        })
    }
    this.timer = setTimeout(tick, 0).unref()
  }

  /** Resolves once no collection runs: none starts after this is called. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()])
  }

  /** Collects every hypervisor whose interval has passed, one after another. */
  async collectDue(): Promise<void> {
    const { store } = this.context()
    const statuses = new Map((await store.pollerStatuses()).map((status) => [status.name, status]))
    const now = this.context().now().toISOString()
    for (const hypervisor of await store.listHypervisors()) {
      if (this.stopped) return
      const next = statuses.get(collectorName(hypervisor))?.nextPollAt
      if (next !== null && next !== undefined && next > now) continue
      await this.collect(hypervisor).catch((error: unknown) => {
        if (!(error instanceof DriftwatchError)) throw error
      })
    }
  }

  /**
   * Collects one hypervisor now, unless another console holds its lease.
   *
   * @throws DriftwatchError DW_ERR_HYPERVISOR_UNREACHABLE, DW_ERR_HYPERVISOR_RESPONSE (recorded as
   *   the failed collection first); DW_ERR_COLLECTION_RUNNING when another console is collecting
   *   it, or this one is stopping
   */
  collect(hypervisor: StoredHypervisor): Promise<CollectionOutcome> {
    if (this.stopped)
      return Promise.reject(
        new DriftwatchError('DW_ERR_COLLECTION_RUNNING', 'the console is stopping: try again'),
      )
    const running = this.inFlight.get(hypervisor.id)
    if (running !== undefined) return running
    const collection = this.leasedCollect(hypervisor).finally(() =>
      this.inFlight.delete(hypervisor.id),
    )
    this.inFlight.set(hypervisor.id, collection)
    return collection
  }

  private async leasedCollect(hypervisor: StoredHypervisor): Promise<CollectionOutcome> {
    const context = this.context()
    const { store } = context
    const name = collectorName(hypervisor)
    const endpoint = uriWithoutCredentials(hypervisor.spec)
    const started = context.now()
    const intervalMs = hypervisor.intervalSeconds * 1000
    const leased = await store.leasePoller({
      name,
      endpoint,
      holder: this.holder,
      now: started.toISOString(),
      until: new Date(started.getTime() + LEASE_MS).toISOString(),
    })
    if (!leased)
      throw new DriftwatchError(
        'DW_ERR_COLLECTION_RUNNING',
        `another console is collecting ${hypervisor.name} now: try again when it is done`,
      )
    const times = (): { at: string; nextPollAt: string; leasedUntil: string } => {
      const at = context.now()
      return {
        at: at.toISOString(),
        nextPollAt: new Date(at.getTime() + intervalMs).toISOString(),
        leasedUntil: new Date(at.getTime() + LEASE_MS).toISOString(),
      }
    }
    // Events since the last inventory began: the cursor is the time the last one was taken.
    const since = (await store.pollerCursor(name))?.cursor ?? undefined
    let connector: HypervisorConnector | undefined
    try {
      // Inside the try: a spec the console cannot open (no vSphere password in its environment)
      // is a failed collection, recorded and shown, like an unreachable hypervisor.
      connector = this.open(hypervisor.spec)
      const outcome = await collectHypervisor(context, hypervisor, connector, since)
      await store.savePollerCursor(name, outcome.takenAt, {
        ok: true,
        holder: this.holder,
        endpoint,
        ticketsRead: outcome.vms,
        problems: outcome.problems,
        ...times(),
      })
      this.log().info(
        { hypervisor: hypervisor.name, vms: outcome.vms, changes: outcome.changes },
        'hypervisor collected',
      )
      return outcome
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      await store.savePollerCursor(name, since ?? null, {
        ok: false,
        holder: this.holder,
        endpoint,
        error: reason,
        ...times(),
      })
      this.log().warn({ hypervisor: hypervisor.name, reason }, 'hypervisor not collected')
      throw error
    } finally {
      await connector?.close().catch(() => undefined)
      await store.releasePoller(name, this.holder)
    }
  }
}

/** A hypervisor's collection status as the API shows it. */
export function collectionStatus(status: PollerStatus | undefined): {
  lastCollectedAt: string | null
  lastError: string | null
  failures: number
  vms: number
  nextCollectionAt: string | null
  problems: readonly string[]
} {
  return {
    lastCollectedAt: status?.lastSuccessAt ?? null,
    lastError: status?.lastError ?? null,
    failures: status?.failures ?? 0,
    vms: status?.ticketsRead ?? 0,
    nextCollectionAt: status?.nextPollAt ?? null,
    problems: status?.problems ?? [],
  }
}
