// `interface:<name>` elements of the live host: hardware address, MTU, operational state and
// addresses, from /sys/class/net and the address tables.
import type { AttributeValue, Element } from '../../../model/index.js'
import type { Target } from '../../../target/index.js'
import { configLines, readConfigText } from '../config-text.js'
import type { CollectionProblem, CommandRunner } from '../system-collector.js'
import { parseIfInet6, readIpv4Addresses } from './interface-addresses.js'

const SYS_CLASS_NET = '/sys/class/net'
const IF_INET6 = '/proc/net/if_inet6'

/**
 * One element per interface in /sys/class/net. When IPv4 addresses cannot be read, `addresses`
 * holds the IPv6 ones only and is marked unverified, so a check does not call IPv4 removed.
 *
 * @example interfaceElements(target, new LocalCommandRunner(), problems)
 * // [{ key: 'interface:lo', attributes: { addresses: '127.0.0.1/8,::1/128', mac: '00:00:00:00:00:00', mtu: 65536, state: 'unknown' } }, …]
 */
export function interfaceElements(
  target: Target,
  commands: CommandRunner,
  problems: CollectionProblem[],
): Element[] {
  const names = target.listDirectory(SYS_CLASS_NET)
  if (names === undefined) {
    problems.push({ path: SYS_CLASS_NET, reason: 'unavailable', detail: 'sysfs is not mounted' })
    return []
  }
  const inet6Text = readConfigText(target, IF_INET6, problems)
  // Absent when the kernel has IPv6 disabled: then there are no IPv6 addresses to record.
  const ipv6 =
    inet6Text === undefined
      ? new Map<string, string[]>()
      : parseIfInet6(configLines(inet6Text, IF_INET6, problems), IF_INET6, problems)
  const ipv4 = readIpv4Addresses(commands, problems)
  const elements: Element[] = []
  for (const name of names) {
    const directory = `${SYS_CLASS_NET}/${name}`
    // bonding_masters and other files sit beside the interface directories
    if (target.listDirectory(directory) === undefined) continue
    const unverified: string[] = []
    const read = (file: string, attribute: string): string | undefined => {
      try {
        const value = target.readFile(`${directory}/${file}`, 4096)?.toString('utf8').trim()
        if (value === undefined) unverified.push(attribute)
        return value
      } catch (error) {
        // Some drivers refuse reads (EINVAL on a MAC-less tunnel): not looked at, not changed.
        unverified.push(attribute)
        problems.push({
          path: `${directory}/${file}`,
          reason: 'unreadable',
          detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message,
        })
        return undefined
      }
    }
    const attributes: Record<string, AttributeValue> = {}
    const mac = read('address', 'mac')
    if (mac !== undefined) attributes['mac'] = mac
    const mtu = read('mtu', 'mtu')
    if (mtu !== undefined) attributes['mtu'] = /^\d+$/.test(mtu) ? Number(mtu) : mtu
    const state = read('operstate', 'state')
    if (state !== undefined) attributes['state'] = state
    const addresses = [...(ipv4?.get(name) ?? []), ...(ipv6.get(name) ?? [])]
    attributes['addresses'] = addresses.sort().join(',')
    if (ipv4 === undefined) unverified.push('addresses')
    elements.push({
      key: `interface:${name}`,
      attributes,
      ...(unverified.length > 0 ? { unverified } : {}),
    })
  }
  return elements
}
