// A vSphere VM as driftwatch elements: `vm:<name>` with power state, hardware, devices and
// extraConfig as flat attributes, and `vm-config:<uuid>` with the whole configuration as content.
import { createHash } from 'node:crypto'
import type { AttributeValue, Element } from '../../model/index.js'
import type { HypervisorProblem, VmRecord, VmState } from '../hypervisor-connector.js'
import type { ObjectProperties } from './property-retrieval.js'
import {
  child,
  childText,
  children,
  readReference,
  text,
  xsiType,
  type XmlNode,
} from './soap-xml.js'
import { booleanOf, canonicalJson, numberOf, readOptionValues } from './vim-values.js'

/** The properties of each VirtualMachine the inventory reads. */
export const VM_PROPERTIES = [
  'name',
  'parent',
  'config',
  'runtime.powerState',
  'runtime.connectionState',
  'runtime.host',
  'snapshot',
] as const

/** Names the VM's surroundings: resolved from the same inventory pass. */
export interface VmSurroundings {
  hostName(reference: string): string | undefined
  datacenterOf(reference: string): string | undefined
  /** The network a NIC is on: by the network's reference, or by a portgroup's key. */
  networkName(referenceOrPortgroupKey: string): string | undefined
}

const POWER_STATES: Readonly<Record<string, VmState>> = {
  poweredOn: 'running',
  poweredOff: 'shutoff',
  suspended: 'suspended',
}

/** Device types counted as `devices.<kind>`: the ones hardening guides want removed or watched. */
const DEVICE_KINDS: Readonly<Record<string, string>> = {
  VirtualCdrom: 'cdrom',
  VirtualFloppy: 'floppy',
  VirtualSerialPort: 'serial',
  VirtualParallelPort: 'parallel',
  VirtualUSBController: 'usb',
  VirtualUSBXHCIController: 'usb',
  VirtualUSB: 'usb',
  VirtualPCIPassthrough: 'pciPassthrough',
  VirtualSoundCard: 'sound',
  VirtualEnsoniq1371: 'sound',
  VirtualHdAudioCard: 'sound',
  VirtualSoundBlaster16: 'sound',
}

export type VmReading =
  | { readonly kind: 'vm'; readonly record: VmRecord }
  | { readonly kind: 'problem'; readonly problem: HypervisorProblem }

/**
 * Reads one VM, keyed `vm:<name>`, or `vm:<name>@<uuid>` when other VMs share its name (vSphere
 * names are unique per folder only). A VM whose configuration the server could not read is a
 * problem, not a VM.
 */
export function readVm(
  vm: ObjectProperties,
  surroundings: VmSurroundings,
  naming: { readonly nameIsShared: boolean },
): VmReading {
  const name = text(vm.properties.get('name')) ?? vm.reference.value
  const config = vm.properties.get('config')
  const instanceUuid = childText(config, 'instanceUuid')
  const biosUuid = childText(config, 'uuid')
  const uuid = nonEmpty(instanceUuid) ?? nonEmpty(biosUuid)
  if (config === undefined || uuid === undefined) {
    const connection = text(vm.properties.get('runtime.connectionState')) ?? 'unknown'
    const vanished = vm.missing.some((missing) => missing.fault === 'ManagedObjectNotFound')
    return {
      kind: 'problem',
      problem: {
        place: `vm:${name}`,
        reason: vanished ? 'vanished' : connection === 'connected' ? 'unreadable' : 'unreachable',
        detail: vanished
          ? `${vm.reference.value} was deleted while the inventory was read`
          : `vCenter has no configuration for ${vm.reference.value} (connection state ${connection})`,
      },
    }
  }
  const powerState = text(vm.properties.get('runtime.powerState')) ?? 'unknown'
  const hostReference = text(vm.properties.get('runtime.host'))
  const hardware = child(config, 'hardware')
  const devices = children(hardware, 'device')
  const disks = devices.filter((device) => xsiType(device) === 'VirtualDisk')
  const nics = devices.filter((device) => childText(device, 'macAddress') !== undefined)
  const macs = nics
    .map((nic) => childText(nic, 'macAddress')?.toLowerCase() ?? '')
    .filter((mac) => mac !== '')
    .sort()
  const snapshots = snapshotTimes(vm.properties.get('snapshot'))

  const attributes: Record<string, AttributeValue> = {
    name,
    uuid,
    // What a guest reads from its firmware (/sys/class/dmi/id/product_uuid): how an agent in
    // the guest is matched to this record.
    biosUuid: nonEmpty(biosUuid) ?? null,
    state: POWER_STATES[powerState] ?? 'unknown',
    powerState,
    connectionState: text(vm.properties.get('runtime.connectionState')) ?? null,
    template: booleanOf(childText(config, 'template')),
    datacenter: surroundings.datacenterOf(vm.reference.value) ?? null,
    host: hostReference === undefined ? null : (surroundings.hostName(hostReference) ?? null),
    guestId: childText(config, 'guestId') ?? null,
    guestFullName: childText(config, 'guestFullName') ?? null,
    hardwareVersion: childText(config, 'version') ?? null,
    firmware: childText(config, 'firmware') ?? null,
    numCPU: numberOf(childText(hardware, 'numCPU')),
    numCoresPerSocket: numberOf(childText(hardware, 'numCoresPerSocket')),
    memoryMB: numberOf(childText(hardware, 'memoryMB')),
    cpuHotAddEnabled: booleanOf(childText(config, 'cpuHotAddEnabled')),
    memoryHotAddEnabled: booleanOf(childText(config, 'memoryHotAddEnabled')),
    vmPathName: childText(child(config, 'files'), 'vmPathName') ?? null,
    macs: macs.join(','),
    disks: disks.length,
    nics: nics.length,
    snapshots: snapshots.length,
    snapshotOldest: snapshots.sort()[0] ?? null,
  }
  disks.forEach((disk, index) => Object.assign(attributes, diskAttributes(disk, `disk.${index}`)))
  nics.forEach((nic, index) =>
    Object.assign(attributes, nicAttributes(nic, `nic.${index}`, surroundings)),
  )
  for (const kind of new Set(Object.values(DEVICE_KINDS))) attributes[`devices.${kind}`] = 0
  for (const device of devices) {
    const kind = DEVICE_KINDS[xsiType(device) ?? '']
    if (kind !== undefined)
      attributes[`devices.${kind}`] = Number(attributes[`devices.${kind}`]) + 1
  }
  for (const { key, value } of readOptionValues(children(config, 'extraConfig'))) {
    attributes[`extra.${key}`] = value
  }

  const content = canonicalJson(config)
  const configElement: Element = {
    key: `vm-config:${uuid}`,
    attributes: { vm: name, sha256: createHash('sha256').update(content).digest('hex') },
    content,
  }
  const keyName = naming.nameIsShared ? `${name}@${uuid}` : name
  const vmElement: Element = { key: `vm:${keyName}`, attributes: attributes }
  return {
    kind: 'vm',
    record: {
      uuid,
      name,
      state: POWER_STATES[powerState] ?? 'unknown',
      macs,
      elements: [vmElement, configElement],
    },
  }
}

function diskAttributes(disk: XmlNode, prefix: string): Record<string, AttributeValue> {
  const backing = child(disk, 'backing')
  return {
    [`${prefix}.label`]: childText(child(disk, 'deviceInfo'), 'label') ?? null,
    [`${prefix}.capacityKB`]: numberOf(childText(disk, 'capacityInKB')),
    [`${prefix}.fileName`]: childText(backing, 'fileName') ?? null,
    [`${prefix}.diskMode`]: childText(backing, 'diskMode') ?? null,
    [`${prefix}.thinProvisioned`]: booleanOf(childText(backing, 'thinProvisioned')),
  }
}

function nicAttributes(
  nic: XmlNode,
  prefix: string,
  surroundings: VmSurroundings,
): Record<string, AttributeValue> {
  const backing = child(nic, 'backing')
  const connectable = child(nic, 'connectable')
  // Standard switches name the network; distributed ones give the portgroup's key; NSX opaque
  // networks give their own id.
  const network =
    childText(backing, 'deviceName') ??
    surroundingName(childText(child(backing, 'port'), 'portgroupKey'), surroundings) ??
    surroundingName(readReference(child(backing, 'network'))?.value, surroundings) ??
    childText(backing, 'opaqueNetworkId') ??
    null
  return {
    [`${prefix}.type`]: xsiType(nic) ?? null,
    [`${prefix}.mac`]: childText(nic, 'macAddress')?.toLowerCase() ?? null,
    [`${prefix}.addressType`]: childText(nic, 'addressType') ?? null,
    [`${prefix}.network`]: network,
    [`${prefix}.connected`]: booleanOf(childText(connectable, 'connected')),
    [`${prefix}.startConnected`]: booleanOf(childText(connectable, 'startConnected')),
  }
}

function surroundingName(
  reference: string | undefined,
  surroundings: VmSurroundings,
): string | undefined {
  return reference === undefined ? undefined : (surroundings.networkName(reference) ?? reference)
}

/** Creation times of every snapshot in the tree, ISO 8601. */
function snapshotTimes(info: XmlNode | undefined): string[] {
  const times: string[] = []
  const walk = (nodes: readonly XmlNode[]): void => {
    for (const node of nodes) {
      const created = childText(node, 'createTime')
      const time = created === undefined ? Number.NaN : Date.parse(created)
      if (!Number.isNaN(time)) times.push(new Date(time).toISOString())
      walk(children(node, 'childSnapshotList'))
    }
  }
  walk(children(info, 'rootSnapshotList'))
  return times
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
