// The network collector: ports served and interfaces (live host only: they exist only while
// the system runs), and name resolution configuration (/etc/resolv.conf, /etc/hosts) anywhere.
import { endianness } from 'node:os'
import type { Element } from '../../../model/index.js'
import type { Target } from '../../../target/index.js'
import { configLines, readConfigText } from '../config-text.js'
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
  collect({ target, commands }) {
    const problems: CollectionProblem[] = []
    const elements: Element[] = []
    if (target.live) {
      elements.push(...portElements(target, problems))
      elements.push(...interfaceElements(target, commands, problems))
    }
    const resolvConf = readConfigText(target, '/etc/resolv.conf', problems)
    if (resolvConf !== undefined) {
      const lines = configLines(resolvConf, '/etc/resolv.conf', problems)
      elements.push(resolverElement(lines, '/etc/resolv.conf', problems))
    }
    const hosts = readConfigText(target, '/etc/hosts', problems)
    if (hosts !== undefined) {
      const lines = configLines(hosts, '/etc/hosts', problems)
      elements.push(...hostsEntryElements(lines, '/etc/hosts', problems))
    }
    return { elements, problems }
  },
}

function portElements(target: Target, problems: CollectionProblem[]): Element[] {
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
  const owners = findSocketOwners(target, new Set(sockets.map((socket) => socket.inode)))
  if (owners.unreadableProcesses > 0) {
    problems.push({
      path: '/proc/*/fd',
      reason: 'unreadable',
      detail: `the open files of ${owners.unreadableProcesses} processes could not be listed: ports they hold have no process`,
    })
  }
  return listeningPortElements(sockets, owners, readOwnerNames(target).users)
}
