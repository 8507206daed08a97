// Sprawl and situational awareness (Step 1 of DESIGN.md's seven): every VM the console's
// hypervisors report, with whether an agent watches it from inside, whether it carries owner and
// service tags, whether its last change was authorized, and whether it runs on after the ticket
// that let it start has expired. "VMs no one monitors" is `monitored: false`.
import type {
  FleetNode,
  FleetStore,
  StoredChange,
  StoredMaintenanceWindow,
} from '../store/index.js'
import { ticketOf } from './change-reconciliation.js'

export interface VmSummary {
  readonly nodeId: number
  readonly name: string
  readonly uuid: string | null
  readonly hypervisor: string
  /** As the last inventory saw it; `deleted` when a whole inventory no longer listed it. */
  readonly state: string
  /** An enrolled agent reports from inside it (matched by UUID, else MAC, else name). */
  readonly monitored: boolean
  readonly agentNodeId: number | null
  readonly tags: readonly string[]
  readonly hasOwner: boolean
  readonly hasService: boolean
  readonly lastChange: {
    readonly key: string
    readonly kind: string
    readonly lifecycle: readonly string[] | null
    readonly verdict: string | null
    readonly performedBy: string | null
    readonly detectedAt: string
  } | null
  /** Running, and the ticket that authorized its creation or start has ended. */
  readonly runningAfterTicket: { readonly ticket: string; readonly ended: string } | null
}

export interface VmFilter {
  readonly monitored?: boolean | undefined
  readonly hypervisor?: string | undefined
}

/**
 * @example (await listVms(store, new Date().toISOString(), { monitored: false })).map((vm) => vm.name)
 */
export async function listVms(
  store: FleetStore,
  now: string,
  filter: VmFilter = {},
): Promise<VmSummary[]> {
  const nodes = await store.listNodes({ status: 'active' })
  const byId = new Map(nodes.map((node) => [node.id, node]))
  const agents = nodes.filter((node) => node.kind !== 'hypervisor' && node.parentId === null)
  // Read once, when the first running VM is looked at.
  let windowsRead: Map<number, StoredMaintenanceWindow> | undefined
  const windows = async (): Promise<Map<number, StoredMaintenanceWindow>> =>
    (windowsRead ??= new Map(
      (await store.listMaintenanceWindows({})).map((window) => [window.id, window]),
    ))
  const tickets = new Map(
    (await store.listTickets({})).map((stored) => [stored.id, ticketOf(stored)]),
  )
  const summaries: VmSummary[] = []
  for (const vm of nodes.filter((node) => node.kind === 'vm' && node.parentId !== null)) {
    const hypervisor = byId.get(vm.parentId as number)?.name ?? String(vm.parentId)
    if (filter.hypervisor !== undefined && filter.hypervisor !== hypervisor) continue
    const elements = await store.currentElements(vm.id, (key) => key.startsWith('vm:'))
    const vmElement = [...elements.values()][0]
    // vSphere keys VMs by instance UUID; the guest sees the BIOS UUID.
    const bios = vmElement?.attributes['biosUuid']
    const agent = agentFor(vm, agents, typeof bios === 'string' ? bios : undefined)
    if (filter.monitored !== undefined && filter.monitored !== (agent !== undefined)) continue
    const state =
      vmElement === undefined ? 'deleted' : String(vmElement.attributes['state'] ?? 'unknown')
    // The newest changes tell the last one and the last creation or start: a VM's history can be
    // long, and this list is asked for often.
    const changes = await store.listChanges({
      nodeId: vm.id,
      limit: RECENT_CHANGES,
      newestFirst: true,
    })
    const last = changes[0]
    summaries.push({
      nodeId: vm.id,
      name: vm.name,
      uuid: vm.identity.productUuid ?? null,
      hypervisor,
      state,
      monitored: agent !== undefined,
      agentNodeId: agent?.id ?? null,
      tags: vm.tags,
      hasOwner: vm.tags.some((tag) => tag.startsWith('owner:')),
      hasService: vm.tags.some((tag) => tag.startsWith('service:')),
      lastChange:
        last === undefined
          ? null
          : {
              key: last.key,
              kind: last.kind,
              lifecycle: last.lifecycle,
              verdict: last.verdict,
              performedBy: last.performedBy,
              detectedAt: last.detectedAt,
            },
      runningAfterTicket:
        state === 'running' ? expiredStart(changes, tickets, await windows(), now) : null,
    })
  }
  return summaries.sort((a, b) =>
    a.hypervisor !== b.hypervisor
      ? a.hypervisor < b.hypervisor
        ? -1
        : 1
      : a.name < b.name
        ? -1
        : 1,
  )
}

/** The agent node inside the VM: same product UUID, else a shared MAC, else the same name. */
function agentFor(
  vm: FleetNode,
  agents: readonly FleetNode[],
  biosUuid: string | undefined,
): FleetNode | undefined {
  const uuids = new Set(
    [vm.identity.productUuid, biosUuid].flatMap((uuid) =>
      uuid === undefined ? [] : [uuid.toLowerCase()],
    ),
  )
  const macs = new Set((vm.identity.macs ?? []).map((mac) => mac.toLowerCase()))
  return (
    agents.find((agent) => uuids.has(agent.identity.productUuid?.toLowerCase() ?? '')) ??
    agents.find((agent) =>
      (agent.identity.macs ?? []).some((mac) => macs.has(mac.toLowerCase())),
    ) ??
    agents.find((agent) => agent.identity.hostname === vm.name || agent.name === vm.name)
  )
}

/** How many of a VM's newest changes the list reads. */
const RECENT_CHANGES = 200

/**
 * The ticket that authorized the newest creation or start (changes newest first), when the
 * window that authorized it has ended: the ticket's own, or that of the maintenance window the
 * verdict names (`CHG-10/window-3`, maintenanceTicket's id).
 */
function expiredStart(
  changes: readonly StoredChange[],
  tickets: ReadonlyMap<number, { id: string; window: { end: string } }>,
  windows: ReadonlyMap<number, StoredMaintenanceWindow>,
  now: string,
): VmSummary['runningAfterTicket'] {
  const start = changes.find((change) =>
    change.lifecycle?.some(
      (verb) => verb === 'created' || verb === 'started' || verb === 'resumed',
    ),
  )
  if (start?.verdict !== 'authorized' || start.ticketId === null) return null
  const ticket = tickets.get(start.ticketId)
  if (ticket === undefined) return null
  const windowId = /^\S+\/window-(\d+) /.exec(start.verdictReason ?? '')?.[1]
  const window = windowId === undefined ? undefined : windows.get(Number(windowId))
  const named = window === undefined ? ticket.id : `${ticket.id}/window-${window.id}`
  const end = window?.endsAt ?? ticket.window.end
  if (Date.parse(end) > Date.parse(now)) return null
  return { ticket: named, ended: end }
}
