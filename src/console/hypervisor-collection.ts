// Agentless collection of a hypervisor by the console: one inventory becomes a snapshot of the
// hypervisor's node (its host settings, networks, pools) and one of each VM's node. A VM that
// appears after the hypervisor's first inventory is a change (created); one gone from a whole
// inventory is a change (deleted); a start, a stop, a reconfiguration are changes — each carrying
// its lifecycle verbs and, where the hypervisor names one (vCenter's events), who did it, and
// reconciled with tickets like every other change. A failed connection changes nothing.
import { randomUUID } from 'node:crypto'
import {
  lifecycleChanges,
  type HypervisorConnector,
  type HypervisorEvent,
  type HypervisorInventory,
  type HypervisorProblem,
  type VmRecord,
  type VmState,
} from '../hypervisor/index.js'
import { serializeAttributes, type Element } from '../model/index.js'
import type { FleetNode, IncomingSnapshot, StoredHypervisor } from '../store/index.js'
import type { ConsoleContext } from './console-context.js'
import { takeInSnapshot } from './snapshot-intake.js'
import {
  asMigration,
  migrationPeers,
  relabelDeparture,
  type MigrationPeer,
} from './vm-migration.js'

/** Verbs only a hypervisor's events can give: the inventories show them as other changes. */
const EVENT_ONLY_VERBS: ReadonlySet<string> = new Set(['migrated', 'snapshot-reverted'])

export interface CollectionOutcome {
  readonly vms: number
  /** Changes stored, on the hypervisor's node and its VMs'. */
  readonly changes: number
  /** VM nodes that appeared in this inventory. */
  readonly appeared: number
  readonly problems: readonly string[]
  /** When the inventory was taken: the next collection reads the events since. */
  readonly takenAt: string
}

/**
 * Takes one inventory of the hypervisor and stores it.
 *
 * @throws DriftwatchError DW_ERR_HYPERVISOR_UNREACHABLE (nothing is stored then)
 */
export async function collectHypervisor(
  context: ConsoleContext,
  hypervisor: StoredHypervisor,
  connector: HypervisorConnector,
  /** When the previous inventory was taken (the schedule's cursor); else the node's last sight. */
  since?: string,
): Promise<CollectionOutcome> {
  const { store } = context
  const hostNode = await store.node(hypervisor.nodeId)
  if (hostNode === undefined) throw new Error(`hypervisor ${hypervisor.id} has no node`)
  // The hypervisor's own snapshot is stored last: until it is, the next collection is still the
  // first, and a pass that failed half-way cannot make every VM look created.
  const first = hostNode.lastSequence === 0
  const previousAt = first ? null : (since ?? hostNode.lastSeenAt)
  const read = await connector.inventory()
  // UUIDs are compared lowercase everywhere: vCenter and libvirt may print them either way.
  const inventory: HypervisorInventory = {
    ...read,
    vms: read.vms.map((vm) => ({ ...vm, uuid: vm.uuid.toLowerCase() })),
    problems: read.problems.map((problem) =>
      problem.vmUuid === undefined ? problem : { ...problem, vmUuid: problem.vmUuid.toLowerCase() },
    ),
  }
  // Events are a bonus (who did it): a hypervisor that keeps none, or fails to say, still counts,
  // and the failure is said.
  const problems = inventory.problems.map((p) => `${p.place}: ${p.reason}: ${p.detail}`)
  let events: readonly HypervisorEvent[] = []
  if (previousAt !== null) {
    events = await connector.events(previousAt).catch((error: unknown) => {
      problems.push(`events: unreadable: ${error instanceof Error ? error.message : String(error)}`)
      return []
    })
  }
  const now = context.now().toISOString()

  // The fleet's VM nodes, read once: this hypervisor's as last stored, the others' for migrations.
  const vmNodes = await store.listNodes({ kind: 'vm', status: 'active' })
  const before = await storedVms(context, vmNodes, hostNode.id)
  let changes = 0
  let appeared = 0

  const verbs = new Map<string, string[]>()
  for (const change of lifecycleChanges(
    { ...inventory, vms: [...before.values()].map((known) => known.record), problems: [] },
    inventory,
  )) {
    verbs.set(change.vmUuid, [...(verbs.get(change.vmUuid) ?? []), change.verb])
  }
  // What two inventories cannot tell apart from a reconfiguration, the event history names.
  for (const event of events) {
    if (!EVENT_ONLY_VERBS.has(event.verb)) continue
    const vm = inventory.vms.find((candidate) => sameVm(event, candidate))
    if (vm === undefined) continue
    const list = verbs.get(vm.uuid) ?? []
    if (!list.includes(event.verb)) verbs.set(vm.uuid, [...list, event.verb])
  }
  const seen = new Set(inventory.vms.map((vm) => vm.uuid))
  // Arrived here or gone from here: the same UUID on another hypervisor makes it a migration.
  const moved = [...verbs]
    .filter(([, list]) => list.includes('created') || list.includes('deleted'))
    .map(([uuid]) => uuid)
  // A first inventory is a baseline: its VMs arrive nowhere, whatever other hypervisors hold.
  const peers = first
    ? new Map<string, MigrationPeer>()
    : await migrationPeers(context, vmNodes, hostNode.id, new Set(moved), now)
  for (const [uuid, peer] of peers) {
    const list = verbs.get(uuid) ?? []
    const arrived = list.includes('created')
    if (arrived || peer.present) verbs.set(uuid, asMigration(list))
    if (arrived) await relabelDeparture(context, peer, now)
  }
  const sighted = await store.sightVms(
    hostNode.id,
    inventory.vms.map((vm) => ({ uuid: vm.uuid, name: vm.name, macs: vm.macs, tags: [] })),
    now,
  )
  for (const [index, vm] of inventory.vms.entries()) {
    const { node, created } = sighted[index] as (typeof sighted)[number]
    if (created) appeared += 1
    // Unchanged since the last inventory: nothing to store (most VMs, most of the time).
    const known = before.get(vm.uuid)
    if (!created && known !== undefined && sameElements(known.elements, vm.elements)) continue
    let target = node
    if (created && previousAt !== null) {
      // It was not there at the last inventory: an empty baseline then, so all of it is added.
      await takeInSnapshot(context, node, emptySnapshot(1, previousAt), now)
      target = (await store.node(node.id)) ?? node
    }
    changes += await storeVm(
      context,
      target,
      inventory,
      vm.elements,
      verbs.get(vm.uuid),
      events,
      vm,
      now,
    )
  }
  // Gone only from a whole list, and not because reading that VM failed.
  const unread = new Set(
    inventory.problems.flatMap((p) => (p.vmUuid === undefined ? [] : [p.vmUuid])),
  )
  if (inventory.complete) {
    for (const [uuid, known] of before) {
      if (seen.has(uuid) || unread.has(uuid) || known.elements.length === 0) continue
      changes += await storeVm(
        context,
        known.node,
        inventory,
        [],
        verbs.get(known.record.uuid),
        events,
        known.record,
        now,
      )
    }
  }
  const hostProblems = inventory.problems.filter((problem) => problem.vmUuid === undefined)
  changes += (
    await takeInSnapshot(
      context,
      hostNode,
      wholeSnapshot(
        hostNode,
        inventory,
        inventory.elements,
        // What could not be read of the host is not gone: its kinds prove no removal then.
        hostProblems.length === 0 ? [] : ['vmm:', 'vnet:', 'vpool:'],
        hostProblems,
      ),
      now,
    )
  ).changes
  return { vms: inventory.vms.length, changes, appeared, problems, takenAt: inventory.takenAt }
}

async function storeVm(
  context: ConsoleContext,
  node: FleetNode,
  inventory: HypervisorInventory,
  elements: readonly Element[],
  verbs: readonly string[] | undefined,
  events: readonly HypervisorEvent[],
  vm: Pick<VmRecord, 'uuid' | 'name'>,
  now: string,
): Promise<number> {
  const outcome = await takeInSnapshot(
    context,
    node,
    wholeSnapshot(
      node,
      inventory,
      elements,
      [],
      inventory.problems.filter((problem) => problem.vmUuid === vm.uuid),
    ),
    now,
    {
      beforeReconciling: async (stored) => {
        if (verbs === undefined || verbs.length === 0) return
        const changes = await context.store.listChanges({
          snapshotId: stored.snapshotId,
          nodeId: node.id,
        })
        const performedBy = whoDid(events, vm, verbs)
        await context.store.annotateLifecycle(
          changes.map((change) => ({ changeId: change.id, verbs, performedBy })),
        )
      },
    },
  )
  return outcome.changes
}

/**
 * Whether an event is about this VM: by UUID when the event has one (vSphere lets VMs share a
 * name), by name only when it has none.
 */
function sameVm(event: HypervisorEvent, vm: Pick<VmRecord, 'uuid' | 'name'>): boolean {
  return event.vmUuid !== null
    ? event.vmUuid.toLowerCase() === vm.uuid.toLowerCase()
    : event.vmName === vm.name
}

/** The users the hypervisor's events name for these verbs on this VM; null when none. */
function whoDid(
  events: readonly HypervisorEvent[],
  vm: Pick<VmRecord, 'uuid' | 'name'>,
  verbs: readonly string[],
): string | null {
  const users = new Set<string>()
  for (const event of events) {
    if (sameVm(event, vm) && verbs.includes(event.verb) && event.user !== null)
      users.add(event.user)
  }
  return users.size === 0 ? null : [...users].sort().join(', ')
}

/** Whether a VM's elements are what was stored: same keys, attributes, content. */
function sameElements(stored: readonly Element[], read: readonly Element[]): boolean {
  if (stored.length !== read.length) return false
  const byKey = new Map(stored.map((element) => [element.key, element]))
  return read.every((element) => {
    const previous = byKey.get(element.key)
    return (
      previous !== undefined &&
      serializeAttributes(previous.attributes) === serializeAttributes(element.attributes) &&
      (previous.content ?? null) === (element.content ?? null) &&
      JSON.stringify(previous.unverified ?? []) === JSON.stringify(element.unverified ?? [])
    )
  })
}

interface KnownVm {
  readonly node: FleetNode
  readonly elements: readonly Element[]
  /** The VM as the last stored inventory saw it, for lifecycleChanges. */
  readonly record: VmRecord
}

/** The hypervisor's VM nodes as last stored, by UUID. */
async function storedVms(
  context: ConsoleContext,
  vmNodes: readonly FleetNode[],
  parentId: number,
): Promise<Map<string, KnownVm>> {
  const known = new Map<string, KnownVm>()
  for (const node of vmNodes.filter((candidate) => candidate.parentId === parentId)) {
    const uuid = node.identity.productUuid
    if (uuid === undefined) continue
    const elements = [...(await context.store.currentElements(node.id)).values()]
    const vmElement = elements.find((element) => element.key.startsWith('vm:'))
    const state = vmElement?.attributes['state']
    known.set(uuid, {
      node,
      elements,
      record: {
        uuid,
        name: vmElement?.key.slice('vm:'.length) ?? node.name,
        state: (typeof state === 'string' ? state : 'unknown') as VmState,
        macs: node.identity.macs ?? [],
        elements,
      },
    })
  }
  // A VM node with no elements left was deleted: it is not in the last inventory.
  for (const [uuid, vm] of known) if (vm.elements.length === 0) known.delete(uuid)
  return known
}

function wholeSnapshot(
  node: FleetNode,
  inventory: HypervisorInventory,
  elements: readonly Element[],
  uncertain: readonly string[],
  problems: readonly HypervisorProblem[],
): IncomingSnapshot {
  return {
    uuid: randomUUID(),
    sequence: node.lastSequence + 1,
    base: null,
    takenAt: inventory.takenAt,
    elements: [...elements]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map((element) => ({
        key: element.key,
        attributes: serializeAttributes(element.attributes),
        ...(element.content === undefined ? {} : { content: element.content }),
        ...(element.unverified === undefined ? {} : { unverified: element.unverified }),
      })),
    removed: [],
    uncertain,
    notChecked: problems.map((problem) => ({ ...problem })),
  }
}

function emptySnapshot(sequence: number, takenAt: string): IncomingSnapshot {
  return {
    uuid: randomUUID(),
    sequence,
    base: null,
    takenAt,
    elements: [],
    removed: [],
    uncertain: [],
    notChecked: [],
  }
}
