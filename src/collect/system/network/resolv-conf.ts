// `dns:resolver`: the stub resolver's configuration from /etc/resolv.conf, read the way glibc
// reads it. Order is kept: resolvers ask name servers and try search domains in file order.
import type { Element } from '../../../model/index.js'
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { normalizeIpAddress } from './ip-address.js'

/**
 * Builds the resolver element. `search` is the last `search` or `domain` line (each replaces the
 * one before, as in glibc); `options` lines add up. Lists are comma-joined in file order.
 *
 * @example resolverElement([{ number: 1, text: 'nameserver 192.0.2.53' }], '/etc/resolv.conf', [])
 * // { key: 'dns:resolver', attributes: { nameservers: '192.0.2.53', options: '', search: '' } }
 */
export function resolverElement(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): Element {
  const nameservers: string[] = []
  let search: string[] = []
  const options: string[] = []
  for (const line of lines) {
    const [keyword, ...values] = line.text.trim().split(/\s+/)
    if (keyword === undefined || keyword === '' || /^[#;]/.test(keyword)) continue
    const malformed = (detail: string): void => {
      problems.push({ path: `${path}:${line.number}`, reason: 'malformed', detail })
    }
    switch (keyword) {
      case 'nameserver': {
        // glibc reads the first word and ignores the rest of the line
        const address = normalizeIpAddress(values[0] ?? '')
        if (address === undefined) malformed('nameserver without an IP address')
        else nameservers.push(address)
        break
      }
      case 'search':
      case 'domain':
        search = values.filter((value) => !/^[#;]/.test(value))
        if (keyword === 'domain') search = search.slice(0, 1)
        break
      case 'options':
        options.push(...values)
        break
      default:
        // sortlist and unknown keywords: glibc ignores what it does not know, and so do we
        break
    }
  }
  return {
    key: 'dns:resolver',
    attributes: {
      nameservers: nameservers.join(','),
      search: search.join(','),
      options: options.join(','),
    },
  }
}
