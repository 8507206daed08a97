// `hosts-entry:<hostname>` elements from /etc/hosts: which addresses a name resolves to before
// DNS is asked. A name on several lines (IPv4 and IPv6 localhost) gathers all its addresses.
import type { Element } from '../../../model/index.js'
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { normalizeIpAddress } from './ip-address.js'

/** Letters, digits, `-`, `_` and dots: what resolvers accept in a host name. */
const HOSTNAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})$/

/**
 * One element per host name or alias. Names are lowercased (lookups ignore case); addresses
 * are normalised and sorted.
 *
 * @example hostsEntryElements([{ number: 1, text: '127.0.0.1 localhost' }], '/etc/hosts', [])
 * // [{ key: 'hosts-entry:localhost', attributes: { addresses: '127.0.0.1' } }]
 */
export function hostsEntryElements(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): Element[] {
  const addressesByName = new Map<string, Set<string>>()
  for (const line of lines) {
    const text = line.text.replace(/#.*/, '').trim()
    if (text === '') continue
    const malformed = (detail: string): void => {
      problems.push({ path: `${path}:${line.number}`, reason: 'malformed', detail })
    }
    const [first, ...names] = text.split(/\s+/)
    const address = normalizeIpAddress(first as string)
    if (address === undefined) {
      malformed('the first field is not an IP address')
      continue
    }
    if (names.length === 0) {
      malformed('an address without a host name')
      continue
    }
    for (const name of names) {
      if (!HOSTNAME.test(name)) {
        malformed('a host name with characters resolvers do not accept')
        continue
      }
      const lower = name.toLowerCase()
      const addresses = addressesByName.get(lower) ?? new Set<string>()
      addresses.add(address)
      addressesByName.set(lower, addresses)
    }
  }
  return [...addressesByName]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, addresses]) => ({
      key: `hosts-entry:${name}`,
      attributes: { addresses: [...addresses].sort().join(',') },
    }))
}
