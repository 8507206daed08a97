// A libvirt domain definition (`virsh dumpxml --inactive --security-info`) read into the settings
// that security reviews ask about: CPUs, memory, disks and their sources, NICs and their networks,
// remote consoles (listen address, password or not), the security label, host devices.
import {
  attribute,
  child,
  childText,
  children,
  LibvirtXmlError,
  parseLibvirtXml,
  sizeInBytes,
  text,
  type LibvirtXmlNode,
} from './libvirt-xml.js'

export interface DomainSettings {
  readonly name: string
  readonly uuid: string
  /** The domain type: `kvm`, `qemu`, `xen`, `test` … */
  readonly type: string
  readonly osType: string | null
  readonly arch: string | null
  /** The maximum number of vCPUs; `vcpusCurrent` those online at boot. */
  readonly vcpus: number | null
  readonly vcpusCurrent: number | null
  readonly memoryKib: number | null
  readonly currentMemoryKib: number | null
  /** `target:device=source`, e.g. `vda:disk=/var/lib/libvirt/images/web.qcow2`; sorted. */
  readonly disks: readonly string[]
  /** `mac=type:source`, e.g. `52:54:00:aa:00:01=network:default`; sorted. */
  readonly nics: readonly string[]
  readonly macs: readonly string[]
  /** Remote consoles: `vnc`, `spice` …; sorted. */
  readonly graphics: readonly string[]
  /** Where they listen: addresses, `network:<name>`, `socket:<path>`, `none`; sorted, unique. */
  readonly graphicsListen: readonly string[]
  /** True when every console has a password; null when there is no console. */
  readonly graphicsPassword: boolean | null
  /** `model:type` per `<seclabel>` (`selinux:dynamic`, `none`); empty when none is set. */
  readonly seclabels: readonly string[]
  /** `pci:0000:06:12.5`, `usb:0x046d:0xc077`, `scsi:…`, `mdev:<uuid>`; sorted. */
  readonly hostdevs: readonly string[]
}

/**
 * @throws LibvirtXmlError when the XML is not a domain definition with a name and a UUID.
 * @example readDomainSettings(xml).graphicsListen // ['0.0.0.0']
 */
export function readDomainSettings(xml: string): DomainSettings {
  const domain = parseLibvirtXml(xml, 'domain')
  const name = childText(domain, 'name')
  const uuid = childText(domain, 'uuid')?.toLowerCase()
  if (name === undefined || name === '') throw new LibvirtXmlError('the domain has no <name>')
  if (uuid === undefined || !/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(uuid)) {
    throw new LibvirtXmlError('the domain has no valid <uuid>')
  }
  const devices = child(domain, 'devices')
  const vcpu = child(domain, 'vcpu')
  const memory = sizeInBytes(child(domain, 'memory'), 'KiB')
  const currentMemory = sizeInBytes(child(domain, 'currentMemory'), 'KiB')
  const interfaces = children(devices, 'interface')
  const consoles = children(devices, 'graphics')
  const vcpus = wholeNumber(text(vcpu))
  return {
    name,
    uuid,
    type: attribute(domain, 'type') ?? '',
    osType: childText(domain, 'os', 'type') ?? null,
    arch: attribute(child(domain, 'os', 'type'), 'arch') ?? null,
    vcpus,
    vcpusCurrent: wholeNumber(attribute(vcpu, 'current')) ?? vcpus,
    memoryKib: memory === null ? null : Math.floor(memory / 1024),
    currentMemoryKib: currentMemory === null ? null : Math.floor(currentMemory / 1024),
    disks: children(devices, 'disk').map(describeDisk).sort(),
    nics: interfaces.map(describeInterface).sort(),
    macs: interfaces
      .map((nic) => attribute(child(nic, 'mac'), 'address')?.toLowerCase())
      .filter((mac): mac is string => mac !== undefined)
      .sort(),
    graphics: consoles.map((console) => attribute(console, 'type') ?? '').sort(),
    graphicsListen: [...new Set(consoles.flatMap(listenAddresses))].sort(),
    graphicsPassword:
      consoles.length === 0
        ? null
        : consoles.every((console) => (attribute(console, 'passwd') ?? '') !== ''),
    seclabels: children(domain, 'seclabel').map(describeSeclabel),
    hostdevs: children(devices, 'hostdev').map(describeHostdev).sort(),
  }
}

function wholeNumber(value: string | undefined): number | null {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null
}

function describeDisk(disk: LibvirtXmlNode): string {
  const target = attribute(child(disk, 'target'), 'dev') ?? '?'
  const device = attribute(disk, 'device') ?? 'disk'
  return `${target}:${device}=${diskSource(disk)}`
}

/** Where a disk's data lives, whichever of libvirt's source kinds it uses; '' for an empty drive. */
function diskSource(disk: LibvirtXmlNode): string {
  const source = child(disk, 'source')
  if (source === undefined) return ''
  const path = attribute(source, 'file') ?? attribute(source, 'dev') ?? attribute(source, 'dir')
  if (path !== undefined) return path
  const pool = attribute(source, 'pool')
  if (pool !== undefined) return `${pool}/${attribute(source, 'volume') ?? ''}`
  const protocol = attribute(source, 'protocol')
  if (protocol !== undefined) {
    const hosts = children(source, 'host')
      .map((host) => attribute(host, 'name') ?? attribute(host, 'socket') ?? '')
      .join('+')
    return `${protocol}://${hosts}/${attribute(source, 'name') ?? ''}`
  }
  return ''
}

function describeInterface(nic: LibvirtXmlNode): string {
  const mac = attribute(child(nic, 'mac'), 'address')?.toLowerCase() ?? '?'
  const type = attribute(nic, 'type') ?? ''
  const source = child(nic, 'source')
  const where =
    attribute(source, 'network') ??
    attribute(source, 'bridge') ??
    attribute(source, 'dev') ??
    attribute(source, 'path') ??
    ''
  return `${mac}=${type}:${where}`
}

function listenAddresses(console: LibvirtXmlNode): string[] {
  const listens = children(console, 'listen').map((listen) => {
    const type = attribute(listen, 'type') ?? 'address'
    if (type === 'network') return `network:${attribute(listen, 'network') ?? ''}`
    if (type === 'socket') return `socket:${attribute(listen, 'socket') ?? ''}`
    if (type === 'none') return 'none'
    return attribute(listen, 'address') ?? ''
  })
  const legacy = attribute(console, 'listen')
  if (listens.length === 0 && legacy !== undefined) listens.push(legacy)
  // No address means the driver's default (qemu.conf's vnc_listen / spice_listen).
  return listens.filter((address) => address !== '')
}

function describeSeclabel(label: LibvirtXmlNode): string {
  const model = attribute(label, 'model')
  const type = attribute(label, 'type') ?? 'dynamic'
  return model === undefined ? type : `${model}:${type}`
}

function describeHostdev(hostdev: LibvirtXmlNode): string {
  const type = attribute(hostdev, 'type') ?? '?'
  const source = child(hostdev, 'source')
  const address = child(source, 'address')
  if (type === 'pci') {
    const part = (name: string, width: number): string =>
      (attribute(address, name) ?? '0').replace(/^0x/i, '').padStart(width, '0')
    return `pci:${part('domain', 4)}:${part('bus', 2)}:${part('slot', 2)}.${part('function', 1)}`
  }
  if (type === 'usb') {
    const vendor = attribute(child(source, 'vendor'), 'id')
    const product = attribute(child(source, 'product'), 'id')
    if (vendor !== undefined) return `usb:${vendor}:${product ?? ''}`
    return `usb:bus${attribute(address, 'bus') ?? '?'}.device${attribute(address, 'device') ?? '?'}`
  }
  if (type === 'scsi') {
    const adapter = attribute(child(source, 'adapter'), 'name') ?? ''
    const at = ['bus', 'target', 'unit'].map((name) => attribute(address, name) ?? '?').join(':')
    return `scsi:${adapter}:${at}`
  }
  if (type === 'mdev') return `mdev:${attribute(address, 'uuid') ?? ''}`
  return type
}
