// Which processes hold a socket: the links in /proc/<pid>/fd/ name it as `socket:[<inode>]`.
// Only command names are kept: pids change on every restart, so recording them is noise.
import { escapeBytes } from '../../../model/index.js'
import type { Target } from '../../../target/index.js'

export interface SocketOwners {
  /** Command names (from /proc/<pid>/comm) of the processes holding each socket inode. */
  readonly commands: ReadonlyMap<number, ReadonlySet<string>>
  /** Processes whose open files could not be listed: their sockets have no known owner. */
  readonly unreadableProcesses: number
}

const SOCKET_LINK = /^socket:\[(\d+)\]$/

/**
 * Finds the command names of the processes holding the given socket inodes. Processes that end
 * during the walk are skipped; those whose open files cannot be listed are counted.
 *
 * @example findSocketOwners(target, new Set([6820])).commands.get(6820) // Set { 'sshd' }
 */
export function findSocketOwners(target: Target, inodes: ReadonlySet<number>): SocketOwners {
  const commands = new Map<number, Set<string>>()
  let unreadableProcesses = 0
  if (inodes.size === 0) return { commands, unreadableProcesses }
  for (const pid of target.listDirectory('/proc') ?? []) {
    if (!/^\d+$/.test(pid)) continue
    let held: number[]
    try {
      held = socketsHeldBy(target, pid, inodes)
    } catch {
      unreadableProcesses += 1
      continue
    }
    if (held.length === 0) continue
    const command = commandName(target, pid)
    if (command === undefined) continue
    for (const inode of held) {
      const names = commands.get(inode) ?? new Set<string>()
      names.add(command)
      commands.set(inode, names)
    }
  }
  return { commands, unreadableProcesses }
}

function socketsHeldBy(target: Target, pid: string, inodes: ReadonlySet<number>): number[] {
  const held: number[] = []
  for (const fd of target.listDirectory(`/proc/${pid}/fd`) ?? []) {
    const link = target.readLink(`/proc/${pid}/fd/${fd}`)
    const inode = link === undefined ? undefined : SOCKET_LINK.exec(link)?.[1]
    if (inode !== undefined && inodes.has(Number(inode))) held.push(Number(inode))
  }
  return held
}

/** The command name, escaped so that a process cannot forge a list (`,`) or control a terminal. */
function commandName(target: Target, pid: string): string | undefined {
  let bytes: Buffer | undefined
  try {
    bytes = target.readFile(`/proc/${pid}/comm`, 4096)
  } catch {
    return undefined
  }
  if (bytes === undefined) return undefined
  const name = bytes.toString('latin1').replace(/\n$/, '')
  return escapeBytes(Buffer.from(name, 'latin1')).replaceAll(',', '\\x2c')
}
