// The network collector: ports served and interfaces (live host only: they exist only while
// the system runs), and name resolution configuration (/etc/resolv.conf, /etc/hosts) anywhere.
import { endianness } from 'node:os'
import type { Element } from '../../../model/index.js'
import type { Target } from '../../../target/index.js'
import { configLines, readConfigText } from '../config-text.js'
import type { ElementSelection } from '../element-selection.js'
import type { CollectionProblem, SystemCollector } from '../system-collector.js'
import { hostsEntryElements } from './hosts-file.js'
import { listeningPortElements } from './listening-ports.js'
import { interfaceElements } from './network-interfaces.js'
import { parseSocketTable, type ServingSocket, type SocketProtocol } from './proc-net-sockets.js'
import { resolverElement } from './resolv-conf.js'
import { findSocketOwners } from './socket-owners.js'
import { readOwnerNames } from '../../owner-names.js'

const SOCKET_TABLES: readonly (readonly [string, SocketProtocol])[] = [
  ['/proc/net/tcp', 'tcp'],
  ['/proc/net/tcp6', 'tcp'],
  ['/proc/net/udp', 'udp'],
  ['/proc/net/udp6', 'udp'],
]

/**
 * `port:`, `interface:`, `dns:resolver` and `hosts-entry:` elements (docs/elements.md).
 *
 * @example networkCollector.collect({ target: openTarget({}), commands: new LocalCommandRunner() })
 */
export const networkCollector: SystemCollector = {
  name: 'network',
  collect({ target, commands, selection }) {
    const problems: CollectionProblem[] = []
    const elements: Element[] = []
    // What nobody reads is not read (an assessment's selection).
    const wanted = (prefix: string): boolean => selection?.wantsAny(prefix) ?? true
    if (target.live) {
      if (wanted('port:')) elements.push(...portElements(target, problems, selection))
      if (wanted('interface:')) elements.push(...interfaceElements(target, commands, problems))
    }
    const resolvConf = wanted('dns:')
      ? readConfigText(target, '/etc/resolv.conf', problems)
      : undefined
    if (resolvConf !== undefined) {
      const lines = configLines(resolvConf, '/etc/resolv.conf', problems)
      elements.push(resolverElement(lines, '/etc/resolv.conf', problems))
    }
    const hosts = wanted('hosts-entry:')
      ? readConfigText(target, '/etc/hosts', problems)
      : undefined
    if (hosts !== undefined) {
      const lines = configLines(hosts, '/etc/hosts', problems)
      elements.push(...hostsEntryElements(lines, '/etc/hosts', problems))
    }
    return { elements, problems }
  },
}

function portElements(
  target: Target,
  problems: CollectionProblem[],
  selection: ElementSelection | undefined,
): Element[] {
  // The tables are the running kernel's, and this process runs on it: same byte order.
  const byteOrder = endianness()
  const sockets: ServingSocket[] = []
  for (const [path, protocol] of SOCKET_TABLES) {
    // tcp6 and udp6 are absent when IPv6 is disabled: nothing to serve there
    const text = readConfigText(target, path, problems)
    if (text === undefined) continue
    sockets.push(
      ...parseSocketTable(configLines(text, path, problems), path, protocol, byteOrder, problems),
    )
  }
  // Owners are looked for only for the ports wanted: none wanted is no walk of /proc/*/fd.
  const wantedSockets = sockets.filter(
    (socket) => selection?.wants(`port:${socket.protocol}/${socket.port}`) ?? true,
  )
  const owners = findSocketOwners(target, new Set(wantedSockets.map((socket) => socket.inode)))
  if (owners.unreadableProcesses > 0) {
    problems.push({
      path: '/proc/*/fd',
      reason: 'unreadable',
      detail: `the open files of ${owners.unreadableProcesses} processes could not be listed: ports they hold have no process`,
    })
  }
  return listeningPortElements(wantedSockets, owners, readOwnerNames(target).users)
}
