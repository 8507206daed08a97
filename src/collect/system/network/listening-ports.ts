// `port:<proto>/<port>` elements: one per port a service waits on, IPv4 and IPv6 together, so
// moving a service from 0.0.0.0 to :: is a changed address, not a port that went and came.
import type { Element } from '../../../model/index.js'
import type { ServingSocket } from './proc-net-sockets.js'
import type { SocketOwners } from './socket-owners.js'

/**
 * Groups serving sockets by protocol and port. `uid` is the owner compared between scans; `user`
 * names it. A socket whose owner was not found while some processes could not be looked at
 * leaves `process` unverified rather than wrong.
 *
 * @example listeningPortElements(sockets, owners, new Map([[0, 'root']]))
 * // [{ key: 'port:tcp/22', attributes: { addresses: '0.0.0.0,::', process: 'sshd', uid: '0', user: 'root' } }]
 */
export function listeningPortElements(
  sockets: readonly ServingSocket[],
  owners: SocketOwners,
  userNames: ReadonlyMap<number, string>,
): Element[] {
  const byPort = new Map<string, ServingSocket[]>()
  for (const socket of sockets) {
    const key = `port:${socket.protocol}/${socket.port}`
    byPort.set(key, [...(byPort.get(key) ?? []), socket])
  }
  const elements: Element[] = []
  for (const [key, group] of byPort) {
    const addresses = new Set(group.map((socket) => socket.address))
    const uids = [...new Set(group.map((socket) => socket.uid))].sort((a, b) => a - b)
    const processes = new Set<string>()
    let ownerUnknown = false
    for (const socket of group) {
      const commands = owners.commands.get(socket.inode)
      if (commands === undefined) ownerUnknown = true
      for (const command of commands ?? []) processes.add(command)
    }
    const unverified = ownerUnknown && owners.unreadableProcesses > 0
    elements.push({
      key,
      attributes: {
        uid: uids.join(','),
        user: uids.map((uid) => userNames.get(uid) ?? String(uid)).join(','),
        addresses: [...addresses].sort().join(','),
        // A socket no process holds belongs to the kernel (nfsd, WireGuard): no process then.
        ...(processes.size > 0 ? { process: [...processes].sort().join(',') } : {}),
      },
      ...(unverified ? { unverified: ['process'] } : {}),
    })
  }
  return elements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}
