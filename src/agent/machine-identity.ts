// Which machine the agent runs on, read through the Target (so `--root` serves tests and images).
// A VM cloned from a template carries the template's agent state; its identity tells it apart.
import { hostname as liveHostname } from 'node:os'
import type { NodeIdentity } from '../store/index.js'
import type { Target } from '../target/index.js'

const MAX_BYTES = 4096
const NO_MAC = '00:00:00:00:00:00'

/**
 * Hostname, machine id, DMI product UUID (unreadable to non-root: then left out) and the MAC
 * addresses of the network interfaces other than loopback.
 *
 * @example readMachineIdentity(openTarget({})) // { hostname: 'web-01', machineId: '…', macs: […] }
 */
export function readMachineIdentity(target: Target): NodeIdentity {
  const hostname = readLine(target, '/etc/hostname') ?? (target.live ? liveHostname() : 'unnamed')
  const machineId = readLine(target, '/etc/machine-id')
  const productUuid = readLine(target, '/sys/class/dmi/id/product_uuid')?.toLowerCase()
  const macs = readMacs(target)
  return {
    hostname,
    ...(machineId === undefined ? {} : { machineId }),
    ...(productUuid === undefined ? {} : { productUuid }),
    ...(macs.length === 0 ? {} : { macs }),
  }
}

/**
 * Whether two identities are different machines: the product UUID decides where both have one
 * (a clone gets a new one), else the machine id. Undefined when neither can tell.
 *
 * @example isOtherMachine({ hostname: 'a', productUuid: 'x' }, { hostname: 'a', productUuid: 'y' }) // true
 */
export function isOtherMachine(enrolled: NodeIdentity, current: NodeIdentity): boolean | undefined {
  if (enrolled.productUuid !== undefined && current.productUuid !== undefined) {
    return enrolled.productUuid !== current.productUuid
  }
  if (enrolled.machineId !== undefined && current.machineId !== undefined) {
    return enrolled.machineId !== current.machineId
  }
  return undefined
}

function readLine(target: Target, path: string): string | undefined {
  try {
    const line = target.readFile(path, MAX_BYTES)?.toString('utf8').split('\n')[0]?.trim()
    return line === undefined || line === '' ? undefined : line
  } catch {
    // Unreadable (product_uuid is root-only) or not a regular file: the identity goes without it.
    return undefined
  }
}

function readMacs(target: Target): string[] {
  let interfaces: string[] | undefined
  try {
    interfaces = target.listDirectory('/sys/class/net')
  } catch {
    return []
  }
  const macs = new Set<string>()
  for (const name of interfaces ?? []) {
    if (name === 'lo') continue
    const mac = readLine(target, `/sys/class/net/${name}/address`)?.toLowerCase()
    if (mac !== undefined && mac !== NO_MAC && /^[0-9a-f]{2}(:[0-9a-f]{2})+$/.test(mac)) {
      macs.add(mac)
    }
  }
  return [...macs].sort()
}
