// The addresses of each network interface, in CIDR notation: IPv6 from /proc/net/if_inet6, IPv4
// from `ip -j -4 addr show` (the kernel shows IPv4 addresses per interface only over netlink).
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem, CommandRunner } from '../system-collector.js'
import { ipv6FromHex, normalizeIpAddress } from './ip-address.js'

/** Interface name → its addresses as `address/prefix`. */
export type InterfaceAddresses = Map<string, string[]>

/** Privacy addresses (RFC 8981) are replaced every day or so: recording them would be noise. */
const IFA_F_TEMPORARY = 0x01

/**
 * Parses /proc/net/if_inet6: address, index, prefix length, scope, flags (hex) and name.
 *
 * @example parseIfInet6(lines, '/proc/net/if_inet6', problems).get('lo') // ['::1/128']
 */
export function parseIfInet6(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): InterfaceAddresses {
  const addresses: InterfaceAddresses = new Map()
  for (const line of lines) {
    if (line.text.trim() === '') continue
    const [hex, , prefixHex, , flagsHex, name, extra] = line.text.trim().split(/\s+/)
    const address = ipv6FromHex(hex ?? '')
    const valid =
      address !== undefined &&
      /^[0-9a-fA-F]{1,2}$/.test(prefixHex ?? '') &&
      /^[0-9a-fA-F]{1,8}$/.test(flagsHex ?? '') &&
      name !== undefined &&
      extra === undefined
    if (!valid) {
      problems.push({
        path: `${path}:${line.number}`,
        reason: 'malformed',
        detail: 'not an address line',
      })
      continue
    }
    if (parseInt(flagsHex as string, 16) & IFA_F_TEMPORARY) continue
    add(addresses, name, `${address}/${parseInt(prefixHex as string, 16)}`)
  }
  return addresses
}

interface IpAddressInfo {
  readonly family?: unknown
  readonly local?: unknown
  readonly prefixlen?: unknown
}

/**
 * Parses the JSON of `ip -j addr show`, keeping IPv4 addresses. Undefined when the output is
 * not that JSON (an `ip` too old for `-j`, or BusyBox's).
 *
 * @example parseIpAddressJson('[{"ifname":"lo","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8}]}]')
 * // Map { 'lo' => ['127.0.0.1/8'] }
 */
export function parseIpAddressJson(json: string): InterfaceAddresses | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return undefined
  }
  if (!Array.isArray(parsed)) return undefined
  const addresses: InterfaceAddresses = new Map()
  for (const link of parsed as unknown[]) {
    const { ifname, addr_info: info } = (link ?? {}) as { ifname?: unknown; addr_info?: unknown }
    if (typeof ifname !== 'string' || !Array.isArray(info)) return undefined
    for (const entry of info as IpAddressInfo[]) {
      if (entry?.family !== 'inet') continue
      const address = typeof entry.local === 'string' ? normalizeIpAddress(entry.local) : undefined
      const prefix = entry.prefixlen
      if (address === undefined || typeof prefix !== 'number') return undefined
      add(addresses, ifname, `${address}/${prefix}`)
    }
    if (!addresses.has(ifname)) addresses.set(ifname, [])
  }
  return addresses
}

/**
 * IPv4 addresses from `ip`; undefined (with a problem) when `ip` is missing or its output
 * cannot be read, so the caller marks IPv4 as not looked at rather than absent.
 *
 * @example readIpv4Addresses(new LocalCommandRunner(), problems)?.get('eth0') // ['192.0.2.2/24']
 */
export function readIpv4Addresses(
  commands: CommandRunner,
  problems: CollectionProblem[],
): InterfaceAddresses | undefined {
  const result = commands.run('ip', ['-j', '-4', 'addr', 'show'])
  const parsed = result?.status === 0 ? parseIpAddressJson(result.stdout) : undefined
  if (parsed === undefined) {
    problems.push({
      path: 'ip -j -4 addr show',
      reason: 'unavailable',
      detail:
        result === undefined
          ? 'ip (iproute2) is not installed: IPv4 addresses of interfaces not recorded'
          : `ip failed (exit status ${result.status ?? 'none'}) or printed no JSON: IPv4 addresses of interfaces not recorded`,
    })
  }
  return parsed
}

function add(addresses: InterfaceAddresses, name: string, address: string): void {
  const list = addresses.get(name)
  if (list === undefined) addresses.set(name, [address])
  else list.push(address)
}
