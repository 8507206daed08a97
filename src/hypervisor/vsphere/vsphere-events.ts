// VM lifecycle events from vCenter's event history (EventManager): who powered a VM on, created,
// reconfigured, moved or deleted it, and when. The history is read through an
// EventHistoryCollector, page by page, and the collector is destroyed afterwards.
import { DriftwatchError } from '../../errors/index.js'
import type { HypervisorEvent, LifecycleVerb } from '../hypervisor-connector.js'
import { retrieveFromObjects } from './property-retrieval.js'
import {
  child,
  childText,
  children,
  element,
  readReference,
  referenceElement,
  text,
  xsiType,
  type ManagedObjectReference,
  type XmlNode,
} from './soap-xml.js'
import type { VimClient } from './vim-client.js'

/** vim25 event types and the lifecycle verb each one is. */
export const EVENT_VERBS: Readonly<Record<string, LifecycleVerb>> = {
  VmPoweredOnEvent: 'started',
  DrsVmPoweredOnEvent: 'started',
  VmPoweredOffEvent: 'stopped',
  // A suspended VM stops running and keeps its memory on disk: of the shared verbs, paused.
  VmSuspendedEvent: 'paused',
  VmCreatedEvent: 'created',
  VmClonedEvent: 'created',
  VmDeployedEvent: 'created',
  VmRegisteredEvent: 'created',
  VmRemovedEvent: 'deleted',
  VmReconfiguredEvent: 'reconfigured',
  VmMigratedEvent: 'migrated',
  DrsVmMigratedEvent: 'migrated',
  VmRelocatedEvent: 'migrated',
  VmRenamedEvent: 'renamed',
}

/** Extended events (EventEx) by their eventTypeId: vCenter records reverts only as one. */
export const EXTENDED_EVENT_VERBS: Readonly<Record<string, LifecycleVerb>> = {
  'com.vmware.vc.vm.VmStateRevertedToSnapshot': 'snapshot-reverted',
}

/** ReadNextEvents' page: vCenter allows at most 1000. */
const READ_PAGE = 100
const COLLECTOR_PAGE = 1000

/**
 * Every VM lifecycle event recorded at or after `since`, oldest first.
 *
 * @example await readVsphereEvents(client, '2025-03-01T00:00:00Z')
 * @throws DriftwatchError DW_ERR_USAGE when `since` is not a time; the client's errors otherwise.
 */
export function readVsphereEvents(
  client: VimClient,
  since: string,
  signal?: AbortSignal,
): Promise<HypervisorEvent[]> {
  const sinceMs = Date.parse(since)
  if (Number.isNaN(sinceMs)) {
    throw new DriftwatchError('DW_ERR_USAGE', `events since "${since}": not an ISO 8601 time`)
  }
  return client.withSession(async (serviceContent) => {
    if (serviceContent.eventManager === undefined) return []
    const nodes = await readHistory(
      client,
      serviceContent.eventManager,
      serviceContent.rootFolder,
      new Date(sinceMs).toISOString(),
      signal,
    )
    const vmReferences = new Map<string, ManagedObjectReference>()
    for (const node of nodes) {
      const reference = readReference(child(child(node, 'vm'), 'vm'))
      if (reference !== undefined) vmReferences.set(reference.value, reference)
    }
    const uuids = await readVmUuids(client, serviceContent, [...vmReferences.values()], signal)
    return (
      nodes
        .map((node) => lifecycleEvent(node, uuids))
        .filter((event): event is HypervisorEvent => event !== undefined)
        // The filter's beginTime is checked here again: vcsim ignores it.
        .filter((event) => Date.parse(event.at) >= sinceMs)
        .sort(
          (a, b) => Date.parse(a.at) - Date.parse(b.at) || Number(a.eventId) - Number(b.eventId),
        )
    )
  }, signal)
}

async function readHistory(
  client: VimClient,
  eventManager: ManagedObjectReference,
  rootFolder: ManagedObjectReference,
  beginTime: string,
  signal?: AbortSignal,
): Promise<XmlNode[]> {
  // EventFilterSpec members in schema order: entity, time, …, eventTypeId.
  const filter = element('filter', [
    element('entity', [referenceElement('entity', rootFolder), element('recursion', 'all')]),
    element('time', element('beginTime', beginTime)),
    [...Object.keys(EVENT_VERBS), ...Object.keys(EXTENDED_EVENT_VERBS)].map((type) =>
      element('eventTypeId', type),
    ),
  ])
  const created = await client.invoke('CreateCollectorForEvents', eventManager, filter, signal)
  const collector = readReference(child(created, 'returnval'))
  if (collector === undefined) {
    throw new DriftwatchError(
      'DW_ERR_HYPERVISOR_RESPONSE',
      `vSphere at ${client.where} created an event collector without naming it`,
    )
  }
  try {
    // The largest "latest page" lets a simulator, which serves only that page, return as much
    // as vCenter would; rewinding starts reading at the oldest event the filter selects.
    await client.invoke(
      'SetCollectorPageSize',
      collector,
      element('maxCount', COLLECTOR_PAGE),
      signal,
    )
    await client.invoke('RewindCollector', collector, [], signal)
    const events: XmlNode[] = []
    for (;;) {
      const page = await client.invoke(
        'ReadNextEvents',
        collector,
        element('maxCount', READ_PAGE),
        signal,
      )
      const read = children(page, 'returnval')
      if (read.length === 0) return events
      events.push(...read)
    }
  } finally {
    // Best effort: collectors die with the session, and vCenter caps them per session.
    await client.invoke('DestroyCollector', collector, []).catch(() => undefined)
  }
}

/** Instance UUIDs of the VMs events name; VMs deleted since have none. */
async function readVmUuids(
  client: VimClient,
  serviceContent: Parameters<typeof retrieveFromObjects>[1],
  vms: readonly ManagedObjectReference[],
  signal?: AbortSignal,
): Promise<ReadonlyMap<string, string>> {
  const read = await retrieveFromObjects(
    client,
    serviceContent,
    vms,
    [{ type: 'VirtualMachine', paths: ['config.instanceUuid', 'config.uuid'] }],
    signal,
  )
  const uuids = new Map<string, string>()
  for (const vm of read) {
    const uuid =
      text(vm.properties.get('config.instanceUuid')) || text(vm.properties.get('config.uuid'))
    if (uuid !== undefined && uuid !== '') uuids.set(vm.reference.value, uuid)
  }
  return uuids
}

/**
 * One vim25 event as a lifecycle event; undefined for events that are not one.
 *
 * @example lifecycleEvent(node, new Map([['vm-42', '5012…']]))?.verb // 'started'
 */
export function lifecycleEvent(
  node: XmlNode,
  uuids: ReadonlyMap<string, string>,
): HypervisorEvent | undefined {
  const type = xsiType(node) ?? ''
  const verb =
    EVENT_VERBS[type] ??
    (type === 'EventEx' ? EXTENDED_EVENT_VERBS[childText(node, 'eventTypeId') ?? ''] : undefined)
  const key = childText(node, 'key')
  const createdTime = Date.parse(childText(node, 'createdTime') ?? '')
  if (verb === undefined || key === undefined || Number.isNaN(createdTime)) return undefined
  const vm = child(node, 'vm')
  const vmReference = readReference(child(vm, 'vm'))
  const user = childText(node, 'userName')
  return {
    at: new Date(createdTime).toISOString(),
    verb,
    vmUuid: vmReference === undefined ? null : (uuids.get(vmReference.value) ?? null),
    // A rename names the VM as it was before; the new name is what the inventory shows.
    vmName: childText(node, 'newName') ?? childText(vm, 'name') ?? '',
    user: user === undefined || user === '' ? null : user,
    eventId: key,
    message: childText(node, 'fullFormattedMessage') ?? '',
  }
}
