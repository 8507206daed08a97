// sshd's address lists (addrmatch.c) for `Match Address` and `Match LocalAddress`: CIDR blocks
// and wildcard patterns, comma-separated, `!` negating.
import { isIPv4, isIPv6 } from 'node:net'
import { matchesSshPattern, type PatternListMatch } from './ssh-pattern.js'

/**
 * Matches an address against a list as sshd's `addr_match_list` does. `'invalid'` is what sshd
 * rejects (an empty entry, a prefix longer than the address, host bits set under the prefix): it
 * refuses to start with such a Match line. Without an address, only the list is checked.
 *
 * @example matchAddressList('10.1.2.3', '10.0.0.0/8,!10.9.0.0/16') // 1
 * @example matchAddressList('192.168.1.7', '192.168.1.*') // 1 (not CIDR: a wildcard pattern)
 * @example matchAddressList(undefined, '10.0.0.1/8') // 'invalid'
 */
export function matchAddressList(
  address: string | undefined,
  list: string,
): PatternListMatch | 'invalid' {
  const bytes = address === undefined ? undefined : unmapped(ipBytes(address))
  let matched: PatternListMatch = 0
  let negatedMatch = false
  for (const entry of list.split(',')) {
    const negated = entry.startsWith('!')
    const pattern = negated ? entry.slice(1) : entry
    if (pattern === '') return 'invalid'
    const block = cidrBlock(pattern)
    if (block === 'invalid') return 'invalid'
    // Like sshd, keep going after a match: a later entry may still be malformed.
    if (negatedMatch || address === undefined) continue
    const hit =
      block === undefined
        ? matchesSshPattern(address, pattern)
        : bytes !== undefined && inBlock(bytes, block)
    if (!hit) continue
    if (negated) negatedMatch = true
    else matched = 1
  }
  return negatedMatch ? -1 : matched
}

interface CidrBlock {
  readonly network: readonly number[]
  readonly prefix: number
}

/** undefined: not an address (so a wildcard pattern); 'invalid': an address sshd rejects. */
function cidrBlock(pattern: string): CidrBlock | 'invalid' | undefined {
  const slash = pattern.indexOf('/')
  const addressPart = slash === -1 ? pattern : pattern.slice(0, slash)
  const prefixPart = slash === -1 ? undefined : pattern.slice(slash + 1)
  // sshd reads a prefix that is not a number up to 128 as no prefix at all: the entry is then a
  // wildcard pattern, which never matches an address.
  if (prefixPart !== undefined && (!/^\d{1,3}$/.test(prefixPart) || Number(prefixPart) > 128)) {
    return undefined
  }
  const network = ipBytes(addressPart)
  if (network === undefined) return undefined
  const prefix = prefixPart === undefined ? network.length * 8 : Number(prefixPart)
  if (prefix > network.length * 8) return 'invalid'
  const masked = maskBytes(network, prefix)
  if (masked.some((byte, index) => byte !== network[index])) return 'invalid'
  return { network, prefix }
}

function inBlock(address: readonly number[], block: CidrBlock): boolean {
  if (address.length !== block.network.length) return false
  const masked = maskBytes(address, block.prefix)
  return masked.every((byte, index) => byte === block.network[index])
}

function maskBytes(bytes: readonly number[], prefix: number): number[] {
  return bytes.map((byte, index) => {
    const bits = Math.max(0, Math.min(8, prefix - index * 8))
    return byte & ((0xff << (8 - bits)) & 0xff)
  })
}

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address, or undefined when the text is neither. */
function ipBytes(text: string): number[] | undefined {
  if (isIPv4(text)) return text.split('.').map(Number)
  if (!isIPv6(text)) return undefined
  const bare = text.split('%')[0] ?? ''
  const halves = bare.split('::')
  const groups = (part: string | undefined): number[] =>
    part === undefined || part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)]
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number)
          return [(a << 8) | b, (c << 8) | d]
        })
  const head = groups(halves[0])
  const tail = groups(halves[1])
  const zeros = halves.length === 2 ? new Array<number>(8 - head.length - tail.length).fill(0) : []
  return [...head, ...zeros, ...tail].flatMap((group) => [group >> 8, group & 0xff])
}

/** sshd sees an IPv4 client on an IPv6 socket (`::ffff:10.1.2.3`) as the IPv4 address. */
function unmapped(bytes: number[] | undefined): number[] | undefined {
  if (bytes?.length !== 16) return bytes
  const mapped =
    bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff
  return mapped ? bytes.slice(12) : bytes
}
