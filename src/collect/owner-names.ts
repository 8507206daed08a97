// User and group names as the system inside the Target knows them (its own /etc/passwd and
// /etc/group, not the host's), so files in an image are shown with the image's names and a port
// with the name of the account that owns it. Malformed lines are the accounts collector's to report.
import type { Target } from '../target/index.js'

const MAX_ACCOUNT_FILE_BYTES = 16 * 1024 * 1024

export interface OwnerNames {
  readonly users: ReadonlyMap<number, string>
  readonly groups: ReadonlyMap<number, string>
}

/** Parses `name:x:id:…` lines; malformed lines are skipped. */
export function parseIdNames(text: string): Map<number, string> {
  const names = new Map<number, string>()
  for (const line of text.split('\n')) {
    const fields = line.split(':')
    const name = fields[0]
    const id = Number(fields[2])
    if (!name || fields.length < 3 || !Number.isInteger(id) || names.has(id)) continue
    names.set(id, name)
  }
  return names
}

export function readOwnerNames(target: Target): OwnerNames {
  return {
    users: readIdNames(target, '/etc/passwd'),
    groups: readIdNames(target, '/etc/group'),
  }
}

function readIdNames(target: Target, path: string): Map<number, string> {
  try {
    const bytes = target.readFile(path, MAX_ACCOUNT_FILE_BYTES)
    return bytes === undefined ? new Map<number, string>() : parseIdNames(bytes.toString('utf8'))
  } catch {
    return new Map<number, string>()
  }
}
