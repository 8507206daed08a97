// Reconciliation on the console: every change a snapshot brings is judged against the stored
// tickets (authorized by which ticket, pending approval, or unauthorized) and the verdict is kept
// with the change. A ticket saved later judges again the changes its window may cover, so a
// ticket approved after the change reconciles it retroactively (and the audit log says so).
import type {
  FleetNode,
  FleetStore,
  StoredChange,
  StoredMaintenanceWindow,
  StoredTicket,
} from '../store/index.js'
import { DAY_MS, parseAttributes } from '../model/index.js'
import {
  packageFactsFrom,
  TicketIndex,
  type ChangeTicket,
  type FileProvenance,
  type PackageFacts,
  type VersionBefore,
  type DetectedChange,
  type Reconciliation,
  type ScopedNode,
} from '../reconcile/index.js'

/** Changes judged again at a time when a ticket is saved. */
const WINDOW_PAGE = 10_000
/** Agents may be offline for days: a change seen this long after a window may still be in it. */
const LATE_DETECTION_MS = 7 * DAY_MS

/**
 * When the changes a ticket's window may cover were detected: from a day before it starts (agent
 * clocks, scans in progress) to a week after it ends (agents offline for days).
 */
export function changesWindowMayCover(window: { start: string; end: string }): {
  from: string
  to: string
} {
  return {
    from: new Date(Date.parse(window.start) - DAY_MS).toISOString(),
    to: new Date(Date.parse(window.end) + LATE_DETECTION_MS).toISOString(),
  }
}

/** A node as ticket scopes see it: `group:NAME` tags make its groups. */
export function scopedNode(node: Pick<FleetNode, 'name' | 'tags'>): ScopedNode {
  return {
    name: node.name,
    tags: node.tags,
    groups: node.tags.filter((tag) => tag.startsWith('group:')).map((tag) => tag.slice(6)),
  }
}

function detectedChange(change: StoredChange, node: ScopedNode): DetectedChange {
  return {
    key: change.key,
    kind: change.kind,
    before: change.before,
    after: change.after,
    node,
    previousScanAt: change.previousScannedAt ?? change.scannedAt,
    detectedAt: change.scannedAt,
    ...(change.lifecycle === null ? {} : { verbs: change.lifecycle }),
  }
}

/**
 * A maintenance window judged as a ticket of its own: its parent's state and approval, its own
 * period and scope, named after both so a verdict says which window authorized the change.
 */
export function maintenanceTicket(
  parent: ChangeTicket,
  window: StoredMaintenanceWindow,
): ChangeTicket {
  return {
    ...parent,
    id: `${parent.id}/window-${window.id}`,
    title: `${parent.title} — maintenance window ${window.name}`,
    window: { start: window.startsAt, end: window.endsAt },
    scope: { nodes: window.nodes, elements: window.elements },
  }
}

/** How each package element among the changes stood before them (null: not installed). */
function versionsBefore(changes: readonly StoredChange[]): VersionBefore {
  const before = new Map<string, string | null>()
  for (const change of changes) {
    if (!change.key.startsWith('package:')) continue
    const version = change.before === null ? null : parseAttributes(change.before)['version']
    before.set(change.key, typeof version === 'string' ? version : null)
  }
  return (packageKey) => before.get(packageKey)
}

export function ticketOf(stored: StoredTicket): ChangeTicket {
  return stored.document as unknown as ChangeTicket
}

function reasonOf(reconciliation: Reconciliation): string {
  const nearMisses = reconciliation.nearMisses
    .slice(0, 3)
    .map((miss) => `${miss.ticketId}: ${miss.reasons.map((reason) => reason.message).join('; ')}`)
  return [
    ...reconciliation.reasons,
    ...(nearMisses.length === 0 ? [] : ['near misses:', ...nearMisses]),
  ].join('\n')
}

export class ChangeReconciliation {
  private cached: { version: string; index: TicketIndex; ids: Map<string, number> } | undefined

  constructor(
    private readonly store: FleetStore,
    private readonly options: {
      readonly clockSkewMinutes: number
      /** Promote authorized changes into the baseline, citing their ticket (`serve --auto-promote`). */
      readonly autoPromote?: boolean
    },
  ) {}

  /**
   * Judges the changes one stored snapshot brought; `provenance` (the agent's package records for
   * the changed files) lets a package update explain a file change no ticket authorizes.
   */
  async reconcileSnapshot(
    node: FleetNode,
    snapshotId: number,
    now: string,
    provenance: readonly FileProvenance[] = [],
  ): Promise<void> {
    const changes = await this.store.listChanges({ nodeId: node.id, snapshotId, limit: 1_000_000 })
    if (changes.length === 0) return
    const packageFacts =
      provenance.length === 0 ? undefined : packageFactsFrom(provenance, versionsBefore(changes))
    await this.judge(changes, new Map([[node.id, scopedNode(node)]]), now, packageFacts)
  }

  /**
   * Judges again the changes a ticket's window may cover that no ticket authorizes yet.
   *
   * @returns the changes whose verdict changed and those authorized retroactively
   */
  async reconcileWindow(
    window: { start: string; end: string },
    now: string,
  ): Promise<{ changed: number; retroactive: readonly number[] }> {
    const { from, to } = changesWindowMayCover(window)
    const nodes = new Map<number, ScopedNode>()
    for (const node of await this.store.listNodes({})) nodes.set(node.id, scopedNode(node))
    let changed = 0
    const retroactive: number[] = []
    // Page by page: a busy fleet's week can hold more changes than are worth holding at once.
    // An explained change was judged with the package records its snapshot came with, which
    // are not kept: judging it again without them would call a package update unauthorized.
    for (let afterId = 0; ;) {
      const page = await this.store.listChanges({
        from,
        to,
        unsettled: true,
        afterId,
        limit: WINDOW_PAGE,
      })
      if (page.length === 0) break
      const judged = await this.judge(page, nodes, now)
      changed += judged.changed
      retroactive.push(...judged.retroactive)
      afterId = (page.at(-1) as StoredChange).id
      if (page.length < WINDOW_PAGE) break
    }
    return { changed, retroactive }
  }

  private async judge(
    changes: readonly StoredChange[],
    nodes: ReadonlyMap<number, ScopedNode>,
    now: string,
    packageFacts?: PackageFacts,
  ): Promise<{ changed: number; retroactive: readonly number[] }> {
    const { index, ids } = await this.ticketIndex()
    const options = { ...this.options, packageFacts }
    const verdicts = changes.flatMap((change) => {
      const node = nodes.get(change.nodeId)
      if (node === undefined) return []
      const reconciliation = index.reconcile(detectedChange(change, node), options)
      return [
        {
          changeId: change.id,
          verdict: reconciliation.verdict,
          ticketId:
            reconciliation.verdict === 'authorized'
              ? (ids.get(reconciliation.ticketId) ?? null)
              : null,
          reason: reasonOf(reconciliation),
        },
      ]
    })
    const recorded = await this.store.recordVerdicts(verdicts, 'driftwatch', now)
    if (this.options.autoPromote === true) await this.promoteAuthorized(changes, verdicts, ids, now)
    return recorded
  }

  /** Each node's open, authorized changes become its baseline, one promotion per ticket. */
  private async promoteAuthorized(
    changes: readonly StoredChange[],
    verdicts: readonly { changeId: number; verdict: string; ticketId: number | null }[],
    /** The ticket ids of the index that judged them: ticket (or window) id → stored id. */
    ids: ReadonlyMap<string, number>,
    now: string,
  ): Promise<void> {
    const byId = new Map(changes.map((change) => [change.id, change]))
    const groups = new Map<string, { nodeId: number; ticketId: number; keys: string[] }>()
    for (const verdict of verdicts) {
      const change = byId.get(verdict.changeId)
      if (verdict.verdict !== 'authorized' || verdict.ticketId === null) continue
      if (change === undefined || change.status !== 'open') continue
      const group = `${change.nodeId}/${verdict.ticketId}`
      const entry = groups.get(group) ?? {
        nodeId: change.nodeId,
        ticketId: verdict.ticketId,
        keys: [],
      }
      entry.keys.push(change.key)
      groups.set(group, entry)
    }
    // A window's id maps to its ticket's too: the ticket's own id, set first, names it.
    const refs = new Map<number, string>()
    for (const [ref, storedId] of ids) if (!refs.has(storedId)) refs.set(storedId, ref)
    for (const { nodeId, ticketId, keys } of groups.values()) {
      await this.store.promote({
        nodeId,
        keys,
        actor: 'driftwatch',
        reason: `authorized by change ticket ${refs.get(ticketId) ?? ticketId} (auto-promote)`,
        now,
      })
    }
  }

  /** The index of every stored ticket, rebuilt when any ticket changed (here or on another console). */
  private async ticketIndex(): Promise<{ index: TicketIndex; ids: Map<string, number> }> {
    const version = await this.store.ticketsVersion()
    if (this.cached?.version === version) return this.cached
    const stored = await this.store.listTickets({})
    const tickets = stored.map(ticketOf)
    const ids = new Map(stored.map((ticket) => [ticketOf(ticket).id, ticket.id]))
    const byStoredId = new Map(stored.map((ticket) => [ticket.id, ticketOf(ticket)]))
    for (const window of await this.store.listMaintenanceWindows({})) {
      const parent = byStoredId.get(window.ticketId)
      // Cancelled before it began (ended at its start): the clock-skew allowance must not make
      // it authorize anything around that instant.
      if (parent === undefined || window.endsAt <= window.startsAt) continue
      const derived = maintenanceTicket(parent, window)
      tickets.push(derived)
      ids.set(derived.id, window.ticketId)
    }
    this.cached = { version, index: new TicketIndex(tickets), ids }
    return this.cached
  }
}
