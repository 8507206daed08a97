// IP addresses as driftwatch records them: IPv6 in the compressed notation of RFC 5952 (what `ip`
// and `ss` print), so one address always reads the same, however a file or the kernel wrote it.
import { isIP, SocketAddress } from 'node:net'

const ZONE = /^%[\w.-]{1,64}$/

/**
 * The normal form of an IPv4 or IPv6 address written as text, keeping a zone (`%eth0`);
 * undefined when the text is not an address.
 *
 * @example normalizeIpAddress('FE80:0:0::1%eth0') // 'fe80::1%eth0'
 */
export function normalizeIpAddress(text: string): string | undefined {
  const percent = text.indexOf('%')
  const address = percent === -1 ? text : text.slice(0, percent)
  const zone = percent === -1 ? '' : text.slice(percent)
  if (zone !== '' && !ZONE.test(zone)) return undefined
  const family = isIP(address)
  if (family === 4) return zone === '' ? address : undefined
  if (family !== 6) return undefined
  return new SocketAddress({ address, family: 'ipv6' }).address + zone
}

/**
 * An IPv6 address from 32 hex digits in network byte order, as /proc/net/if_inet6 writes it.
 *
 * @example ipv6FromHex('fe800000000000000000000000000001') // 'fe80::1'
 */
export function ipv6FromHex(hex: string): string | undefined {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined
  const groups = hex.match(/.{4}/g) as string[]
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address
}

/**
 * An address from /proc/net/tcp and its kin: 8 (IPv4) or 32 (IPv6) hex digits that print
 * 32-bit words in the kernel's byte order, so on a little-endian host each word is reversed.
 *
 * @example procNetAddress('0100007F', 'LE') // '127.0.0.1'
 * @example procNetAddress('00000000000000000000000001000000', 'LE') // '::1'
 */
export function procNetAddress(hex: string, byteOrder: 'BE' | 'LE'): string | undefined {
  if (!/^(?:[0-9a-fA-F]{8}){1,4}$/.test(hex) || (hex.length !== 8 && hex.length !== 32)) {
    return undefined
  }
  const bytes = Buffer.from(hex, 'hex')
  if (byteOrder === 'LE') {
    for (let word = 0; word < bytes.length; word += 4) bytes.subarray(word, word + 4).reverse()
  }
  if (bytes.length === 4) return bytes.join('.')
  return ipv6FromHex(bytes.toString('hex'))
}
