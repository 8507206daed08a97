// One inventory of a vCenter (or a single ESXi host) in two bulk reads: every datacenter,
// cluster, host, network and VM through one ContainerView, then every host's advanced settings
// (and the server's own) from their OptionManagers.
import type { Element } from '../../model/index.js'
import type { HypervisorInventory, HypervisorProblem, VmRecord } from '../hypervisor-connector.js'
import {
  retrieveFromObjects,
  retrieveFromView,
  withContainerView,
  type ObjectProperties,
} from './property-retrieval.js'
import { readReference, text, type ManagedObjectReference, type XmlNode } from './soap-xml.js'
import type { ServiceContent, VimClient } from './vim-client.js'
import { VM_PROPERTIES, readVm, type VmSurroundings } from './vm-elements.js'
import {
  CLUSTER_PROPERTIES,
  COMPUTE_RESOURCE_PROPERTIES,
  DATACENTER_PROPERTIES,
  FOLDER_PROPERTIES,
  HOST_PROPERTIES,
  NETWORK_PROPERTIES,
  PORTGROUP_PROPERTIES,
  clusterElement,
  datacenterElement,
  hostElements,
  hostName,
  networkElement,
  optionElements,
  serverElement,
} from './vmm-elements.js'

const VIEW_REQUESTS = [
  { type: 'Folder', paths: FOLDER_PROPERTIES },
  { type: 'Datacenter', paths: DATACENTER_PROPERTIES },
  { type: 'ComputeResource', paths: COMPUTE_RESOURCE_PROPERTIES },
  { type: 'ClusterComputeResource', paths: CLUSTER_PROPERTIES },
  { type: 'HostSystem', paths: HOST_PROPERTIES },
  { type: 'Network', paths: NETWORK_PROPERTIES },
  { type: 'DistributedVirtualPortgroup', paths: PORTGROUP_PROPERTIES },
  { type: 'VirtualMachine', paths: VM_PROPERTIES },
]

/** Where an object sits: its name, type and parent, for datacenter and cluster names. */
interface Placement {
  readonly type: string
  readonly name: string
  readonly parent: string | undefined
}

/**
 * Reads the whole inventory in one session (logging in again once if vCenter ended it).
 *
 * @example await readVsphereInventory(client, 'https://vcenter.example/sdk')
 * @throws DriftwatchError DW_ERR_HYPERVISOR_UNREACHABLE, DW_ERR_HYPERVISOR_RESPONSE
 */
export function readVsphereInventory(
  client: VimClient,
  uri: string,
  signal?: AbortSignal,
): Promise<HypervisorInventory> {
  return client.withSession(async (serviceContent) => {
    const objects = await withContainerView(
      client,
      serviceContent,
      VIEW_REQUESTS.map((request) => request.type),
      (view) => retrieveFromView(client, serviceContent, view, VIEW_REQUESTS, signal),
      signal,
    )
    return await buildInventory(client, serviceContent, uri, objects, signal)
  }, signal)
}

async function buildInventory(
  client: VimClient,
  serviceContent: ServiceContent,
  uri: string,
  objects: readonly ObjectProperties[],
  signal?: AbortSignal,
): Promise<HypervisorInventory> {
  const takenAt = new Date().toISOString()
  const byType = groupByType(objects)
  const placements = new Map<string, Placement>()
  for (const object of objects) {
    placements.set(object.reference.value, {
      type: object.reference.type,
      name: text(object.properties.get('name')) ?? object.reference.value,
      parent: readReference(object.properties.get('parent'))?.value,
    })
  }
  const ancestor = (reference: string, type: string): string | undefined => {
    let current = placements.get(reference)
    for (let depth = 0; current !== undefined && depth < 64; depth++) {
      if (current.type === type) return current.name
      current = current.parent === undefined ? undefined : placements.get(current.parent)
    }
    return undefined
  }

  const problems: HypervisorProblem[] = []
  const elements: Element[] = [serverElement(serviceContent.about)]
  for (const datacenter of byType('Datacenter')) {
    elements.push(datacenterElement(placements.get(datacenter.reference.value)?.name ?? ''))
  }
  for (const cluster of byType('ClusterComputeResource')) {
    elements.push(clusterElement(cluster, ancestor(cluster.reference.value, 'Datacenter') ?? '-'))
  }
  const hosts = byType('HostSystem')
  const hostNames = new Map(hosts.map((host) => [host.reference.value, hostName(host)]))
  for (const host of hosts) {
    const parent = placements.get(host.reference.value)?.parent
    const cluster = parent === undefined ? undefined : placements.get(parent)
    elements.push(
      ...hostElements(host, {
        datacenter: ancestor(host.reference.value, 'Datacenter') ?? null,
        cluster: cluster?.type === 'ClusterComputeResource' ? cluster.name : null,
      }),
    )
    problems.push(...hostProblems(host))
  }
  const networkNames = new Map<string, string>()
  for (const network of [...byType('Network'), ...byType('DistributedVirtualPortgroup')]) {
    const name = text(network.properties.get('name')) ?? network.reference.value
    networkNames.set(network.reference.value, name)
    const key = text(network.properties.get('key'))
    if (key !== undefined) networkNames.set(key, name)
    elements.push(networkElement(network, ancestor(network.reference.value, 'Datacenter') ?? null))
  }

  const settings = await readSettings(client, serviceContent, hosts, signal)
  const serverOptions = optionElements('vmm:server', settings.server)
  elements.push(...serverOptions)
  for (const host of hosts) {
    const hostSettings = settings.byHost.get(host.reference.value)
    if (hostSettings === undefined) continue
    elements.push(...optionElements(`vmm:host/${hostName(host)}`, hostSettings))
  }

  const surroundings: VmSurroundings = {
    hostName: (reference) => hostNames.get(reference),
    datacenterOf: (reference) => ancestor(reference, 'Datacenter'),
    networkName: (reference) => networkNames.get(reference),
  }
  const vms = readVms(byType('VirtualMachine'), surroundings, problems)
  const fqdn = fqdnOf(serverOptions)
  return {
    kind: 'vsphere',
    uri,
    hostname: fqdn ?? new URL(uri).hostname,
    takenAt,
    elements,
    vms,
    problems,
    // Anything unread would look deleted next to the baseline: such an inventory proves no absence.
    complete: problems.length === 0,
  }
}

function groupByType(
  objects: readonly ObjectProperties[],
): (type: string) => readonly ObjectProperties[] {
  const groups = new Map<string, ObjectProperties[]>()
  for (const object of objects) {
    const group = groups.get(object.reference.type) ?? []
    group.push(object)
    groups.set(object.reference.type, group)
  }
  return (type) => groups.get(type) ?? []
}

function hostProblems(host: ObjectProperties): HypervisorProblem[] {
  const place = `vmm:host/${hostName(host)}`
  const connection = text(host.properties.get('runtime.connectionState'))
  if (connection !== undefined && connection !== 'connected') {
    return [
      {
        place,
        reason: 'unreachable',
        detail: `vCenter reports the host ${connection}: its settings and services were not read`,
      },
    ]
  }
  return host.missing.map((missing) => ({
    place,
    reason: 'unreadable',
    detail: `vCenter could not read ${missing.path} (${missing.fault})`,
  }))
}

async function readSettings(
  client: VimClient,
  serviceContent: ServiceContent,
  hosts: readonly ObjectProperties[],
  signal?: AbortSignal,
): Promise<{
  readonly server: XmlNode | undefined
  readonly byHost: ReadonlyMap<string, XmlNode>
}> {
  const managers = new Map<string, string>()
  const references: ManagedObjectReference[] = []
  for (const host of hosts) {
    const manager = readReference(host.properties.get('configManager.advancedOption'))
    if (manager === undefined) continue
    managers.set(manager.value, host.reference.value)
    references.push(manager)
  }
  if (serviceContent.setting !== undefined) references.push(serviceContent.setting)
  const read = await retrieveFromObjects(
    client,
    serviceContent,
    references,
    [{ type: 'OptionManager', paths: ['setting'] }],
    signal,
  )
  let server
  const byHost = new Map<string, XmlNode>()
  for (const manager of read) {
    const setting = manager.properties.get('setting')
    if (setting === undefined) continue
    if (manager.reference.value === serviceContent.setting?.value) server = setting
    const host = managers.get(manager.reference.value)
    if (host !== undefined) byHost.set(host, setting)
  }
  return { server, byHost }
}

/** The name vCenter gives itself, from its settings' elements. */
function fqdnOf(serverOptions: readonly Element[]): string | undefined {
  const value = serverOptions.find(
    (option) => option.key === 'vmm:server/option/VirtualCenter.FQDN',
  )?.attributes['value']
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * VMs keyed `vm:<name>`; names vSphere lets VMs share (they are unique per folder only) are
 * keyed `vm:<name>@<uuid>` for every VM that shares it, so no VM hides another.
 */
function readVms(
  vms: readonly ObjectProperties[],
  surroundings: VmSurroundings,
  problems: HypervisorProblem[],
): VmRecord[] {
  const names = vms.map((vm) => text(vm.properties.get('name')) ?? vm.reference.value)
  const nameCounts = new Map<string, number>()
  for (const name of names) nameCounts.set(name, (nameCounts.get(name) ?? 0) + 1)
  const records: VmRecord[] = []
  for (const [index, vm] of vms.entries()) {
    const name = names[index] as string
    const reading = readVm(vm, surroundings, { nameIsShared: (nameCounts.get(name) ?? 0) > 1 })
    if (reading.kind === 'problem') problems.push(reading.problem)
    else records.push(reading.record)
  }
  return records.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
