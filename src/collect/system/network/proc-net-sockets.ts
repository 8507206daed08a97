// The kernel's socket tables (/proc/net/tcp, tcp6, udp, udp6): which sockets wait for
// connections (TCP in LISTEN) or datagrams (UDP bound and not connected).
import type { CollectionProblem } from '../system-collector.js'
import type { ConfigLine } from '../config-text.js'
import { procNetAddress } from './ip-address.js'

export type SocketProtocol = 'tcp' | 'udp'

/** A socket that serves a port: no peer, so nothing in it changes between scans but its owner. */
export interface ServingSocket {
  readonly protocol: SocketProtocol
  readonly address: string
  readonly port: number
  readonly uid: number
  readonly inode: number
}

const TCP_LISTEN = '0A'
/** UDP sockets without a peer are in TCP_CLOSE; connected ones show TCP_ESTABLISHED. */
const UDP_UNCONNECTED = '07'

/**
 * Parses one socket table. Sockets with a peer are left out; lines that are not socket lines
 * become problems.
 *
 * @example parseSocketTable(configLines(text, '/proc/net/tcp', problems), '/proc/net/tcp', 'tcp', 'LE', problems)
 */
export function parseSocketTable(
  lines: readonly ConfigLine[],
  path: string,
  protocol: SocketProtocol,
  byteOrder: 'BE' | 'LE',
  problems: CollectionProblem[],
): ServingSocket[] {
  const sockets: ServingSocket[] = []
  for (const line of lines) {
    const fields = line.text.trim().split(/\s+/)
    if (fields[0] === '' || fields[0] === 'sl') continue
    const malformed = (detail: string): void => {
      problems.push({ path: `${path}:${line.number}`, reason: 'malformed', detail })
    }
    const [, local, remote, state, , , , uidField, , inodeField] = fields
    if (inodeField === undefined || !/^\d+:$/.test(fields[0] as string)) {
      malformed('not a socket line')
      continue
    }
    const localEnd = parseEndpoint(local as string, byteOrder)
    const remoteEnd = parseEndpoint(remote as string, byteOrder)
    const uid = Number(uidField)
    const inode = Number(inodeField)
    if (localEnd === undefined || remoteEnd === undefined) {
      malformed('an address is not hex address:port')
      continue
    }
    if (!/^\d+$/.test(uidField as string) || !/^\d+$/.test(inodeField)) {
      malformed('uid or inode is not a number')
      continue
    }
    const serving =
      protocol === 'tcp' ? state === TCP_LISTEN : state === UDP_UNCONNECTED && remoteEnd.port === 0
    if (!serving) continue
    sockets.push({ protocol, address: localEnd.address, port: localEnd.port, uid, inode })
  }
  return sockets
}

function parseEndpoint(
  text: string,
  byteOrder: 'BE' | 'LE',
): { address: string; port: number } | undefined {
  const [hexAddress, hexPort, extra] = text.split(':')
  if (hexAddress === undefined || hexPort === undefined || extra !== undefined) return undefined
  if (!/^[0-9A-Fa-f]{4}$/.test(hexPort)) return undefined
  const address = procNetAddress(hexAddress, byteOrder)
  return address === undefined ? undefined : { address, port: parseInt(hexPort, 16) }
}
