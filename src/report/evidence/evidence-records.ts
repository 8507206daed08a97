// What an evidence export holds, read from the fleet store for a time range and a node scope:
// the changes detected with their reconciliation, the change tickets, the corrective actions
// (promotions and restores) and the audit log. Sorted, so the same range reads the same.
import picomatch from 'picomatch'
import { DriftwatchError } from '../../errors/index.js'
import type {
  AuditEntry,
  FleetNode,
  FleetStore,
  StoredChange,
  StoredTicket,
} from '../../store/index.js'
import { attributesOf, summarizeChange } from './change-summary.js'

export interface EvidenceQuery {
  /** ISO 8601 instants: `from` included, `to` excluded. */
  readonly from: string
  readonly to: string
  /** `tag:TAG` or `name:GLOB` (a bare value is a name glob); every node when absent. */
  readonly nodes?: string | undefined
}

export interface EvidenceChange {
  readonly id: number
  readonly node: string
  readonly key: string
  readonly kind: StoredChange['kind']
  readonly summary: string
  readonly before: Record<string, unknown> | null
  readonly after: Record<string, unknown> | null
  readonly detectedAt: string
  readonly scannedAt: string
  readonly previousScannedAt: string | null
  readonly status: StoredChange['status']
  readonly verdict: StoredChange['verdict']
  readonly ticket: string | null
  readonly verdictReason: string | null
  readonly resolvedAt: string | null
  readonly resolvedBy: string | null
  readonly resolutionReason: string | null
}

export interface EvidenceTicket {
  readonly id: number
  readonly externalRef: string
  readonly source: string
  readonly title: string | null
  readonly state: string
  readonly approver: string | null
  readonly approvedAt: string | null
  readonly windowStart: string | null
  readonly windowEnd: string | null
  readonly scopeNodes: readonly string[]
  readonly scopeElements: readonly string[]
  readonly createdAt: string
  readonly updatedAt: string
  /** How many of the exported changes this ticket authorizes. */
  readonly authorizedChanges: number
}

export interface CorrectiveAction {
  readonly at: string
  readonly action: 'promote' | 'restore'
  readonly node: string
  readonly key: string
  readonly actor: string
  readonly reason: string | null
  /** The change it closed; null for a promotion of an element with no change in the store. */
  readonly changeId: number | null
  /** The `baseline.promote` audit entry; null for a restore (the agent saw the baseline again). */
  readonly auditEntryId: number | null
}

export interface EvidenceRecords {
  readonly changes: readonly EvidenceChange[]
  readonly tickets: readonly EvidenceTicket[]
  readonly correctiveActions: readonly CorrectiveAction[]
  readonly audit: readonly AuditEntry[]
}

const PAGE = 5000

/**
 * Checks and normalizes a range and scope: instants become ISO 8601 UTC, `from` before `to`.
 *
 * @example evidenceQuery({ from: '2026-11-01', to: '2026-12-01', nodes: 'tag:pci' })
 */
export function evidenceQuery(input: {
  from: string
  to: string
  nodes?: string | undefined
}): EvidenceQuery {
  const instant = (name: string, value: string): string => {
    const time = Date.parse(value)
    if (Number.isNaN(time)) {
      throw new DriftwatchError('DW_ERR_USAGE', `${name} ${value} is not an ISO 8601 time`)
    }
    return new Date(time).toISOString()
  }
  const from = instant('from', input.from)
  const to = instant('to', input.to)
  if (from >= to) {
    throw new DriftwatchError('DW_ERR_USAGE', `from ${from} must come before to ${to}`)
  }
  const nodes = input.nodes?.trim()
  return nodes === undefined || nodes === '' ? { from, to } : { from, to, nodes }
}

function nodeMatcher(scope: string | undefined): (node: FleetNode) => boolean {
  if (scope === undefined) return () => true
  if (scope.startsWith('tag:')) {
    const tag = scope.slice('tag:'.length)
    return (node) => node.tags.includes(tag)
  }
  const isName = picomatch(scope.startsWith('name:') ? scope.slice('name:'.length) : scope)
  return (node) => isName(node.name)
}

async function allChanges(
  store: FleetStore,
  filter: { from?: string; to?: string; resolvedFrom?: string; resolvedTo?: string },
): Promise<StoredChange[]> {
  const found: StoredChange[] = []
  for (let afterId = 0; ;) {
    const page = await store.listChanges({ ...filter, afterId, limit: PAGE })
    found.push(...page)
    const last = page.at(-1)
    if (last === undefined || page.length < PAGE) return found
    afterId = last.id
  }
}

async function auditInRange(store: FleetStore, query: EvidenceQuery): Promise<AuditEntry[]> {
  const found: AuditEntry[] = []
  for (let afterId = 0; ;) {
    const page = await store.auditEntries({ afterId, limit: PAGE })
    for (const entry of page) {
      if (entry.at >= query.from && entry.at < query.to) found.push(plainAuditEntry(entry))
    }
    const last = page.at(-1)
    if (last === undefined || page.length < PAGE) return found
    afterId = last.id
  }
}

// Only the declared fields: what a store keeps beside them is not part of the evidence.
function plainAuditEntry(entry: AuditEntry): AuditEntry {
  const { id, at, actor, action, subject, previousHash, hash } = entry
  return { id, at, actor, action, subject, previousHash, hash }
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null)
const texts = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []

function overlaps(ticket: StoredTicket, query: EvidenceQuery): boolean {
  const start = ticket.windowStart ?? ticket.windowEnd
  const end = ticket.windowEnd ?? ticket.windowStart
  const windowOverlaps = start !== null && end !== null && start < query.to && end >= query.from
  const inRange = (at: string): boolean => at >= query.from && at < query.to
  return windowOverlaps || inRange(ticket.createdAt) || inRange(ticket.updatedAt)
}

function toEvidenceTicket(ticket: StoredTicket, authorizedChanges: number): EvidenceTicket {
  const document = ticket.document
  const scope = (document['scope'] ?? {}) as Record<string, unknown>
  return {
    id: ticket.id,
    externalRef: ticket.externalRef,
    source: ticket.source,
    title: text(document['title']),
    state: ticket.state,
    approver: text(document['approver']),
    approvedAt: text(document['approvedAt']),
    windowStart: ticket.windowStart,
    windowEnd: ticket.windowEnd,
    scopeNodes: texts(scope['nodes']),
    scopeElements: texts(scope['elements']),
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    authorizedChanges,
  }
}

function toEvidenceChange(
  change: StoredChange,
  tickets: ReadonlyMap<number, StoredTicket>,
): EvidenceChange {
  return {
    id: change.id,
    node: change.node,
    key: change.key,
    kind: change.kind,
    summary: summarizeChange(change.before, change.after),
    before: attributesOf(change.before),
    after: attributesOf(change.after),
    detectedAt: change.detectedAt,
    scannedAt: change.scannedAt,
    previousScannedAt: change.previousScannedAt,
    status: change.status,
    verdict: change.verdict,
    ticket:
      change.ticketId === null
        ? null
        : (tickets.get(change.ticketId)?.externalRef ?? `#${change.ticketId}`),
    verdictReason: change.verdictReason,
    resolvedAt: change.resolvedAt,
    resolvedBy: change.resolvedBy,
    resolutionReason: change.reason,
  }
}

function correctiveActions(
  resolved: readonly StoredChange[],
  promotions: readonly AuditEntry[],
  nodesById: ReadonlyMap<number, FleetNode>,
  inScope: (node: FleetNode) => boolean,
): CorrectiveAction[] {
  const actions: CorrectiveAction[] = []
  // A promotion closes the node's open changes of those keys at the moment it is audited.
  const fromAudit = new Map<string, AuditEntry>()
  for (const entry of promotions) {
    const node = nodesById.get(Number(entry.subject['node']))
    if (node === undefined || !inScope(node)) continue
    for (const key of texts(entry.subject['keys'])) {
      fromAudit.set(`${node.id}|${key}|${entry.at}`, entry)
    }
  }
  const covered = new Set<string>()
  for (const change of resolved) {
    if (change.resolvedAt === null || change.status === 'open') continue
    const link = `${change.nodeId}|${change.key}|${change.resolvedAt}`
    const entry = change.status === 'promoted' ? fromAudit.get(link) : undefined
    if (entry !== undefined) covered.add(link)
    actions.push({
      at: change.resolvedAt,
      action: change.status === 'promoted' ? 'promote' : 'restore',
      node: change.node,
      key: change.key,
      actor: change.resolvedBy ?? 'unknown',
      reason: change.reason,
      changeId: change.id,
      auditEntryId: entry?.id ?? null,
    })
  }
  for (const [link, entry] of fromAudit) {
    if (covered.has(link)) continue
    const [nodeId, key] = link.split('|') as [string, string]
    actions.push({
      at: entry.at,
      action: 'promote',
      node: nodesById.get(Number(nodeId))?.name ?? `#${nodeId}`,
      key,
      actor: entry.actor,
      reason: text(entry.subject['reason']),
      changeId: null,
      auditEntryId: entry.id,
    })
  }
  return actions.sort(
    (a, b) =>
      compare(a.at, b.at) ||
      compare(a.node, b.node) ||
      compare(a.key, b.key) ||
      (a.changeId ?? 0) - (b.changeId ?? 0),
  )
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Reads the evidence for a range and scope from the store.
 *
 * @example const records = await collectEvidence(store, evidenceQuery({ from, to, nodes: 'tag:pci' }))
 */
export async function collectEvidence(
  store: FleetStore,
  query: EvidenceQuery,
): Promise<EvidenceRecords> {
  const nodes = await store.listNodes({})
  const nodesById = new Map(nodes.map((node) => [node.id, node]))
  const inScope = nodeMatcher(query.nodes)
  const scoped = (change: StoredChange): boolean => {
    const node = nodesById.get(change.nodeId)
    return node !== undefined && inScope(node)
  }
  const detected = (await allChanges(store, { from: query.from, to: query.to })).filter(scoped)
  const resolved = (
    await allChanges(store, { resolvedFrom: query.from, resolvedTo: query.to })
  ).filter(scoped)
  const audit = await auditInRange(store, query)
  const allTickets = await store.listTickets({})
  const ticketsById = new Map(allTickets.map((ticket) => [ticket.id, ticket]))
  const authorized = new Map<number, number>()
  for (const change of detected) {
    if (change.ticketId !== null && change.verdict === 'authorized') {
      authorized.set(change.ticketId, (authorized.get(change.ticketId) ?? 0) + 1)
    }
  }
  const referenced = new Set(detected.flatMap((change) => change.ticketId ?? []))
  const tickets = allTickets
    .filter((ticket) => referenced.has(ticket.id) || overlaps(ticket, query))
    .map((ticket) => toEvidenceTicket(ticket, authorized.get(ticket.id) ?? 0))
    .sort((a, b) => compare(a.externalRef, b.externalRef) || a.id - b.id)
  const changes = detected
    .map((change) => toEvidenceChange(change, ticketsById))
    .sort(
      (a, b) =>
        compare(a.detectedAt, b.detectedAt) ||
        compare(a.node, b.node) ||
        compare(a.key, b.key) ||
        a.id - b.id,
    )
  const promotions = audit.filter((entry) => entry.action === 'baseline.promote')
  return {
    changes,
    tickets,
    correctiveActions: correctiveActions(resolved, promotions, nodesById, inScope),
    audit,
  }
}
