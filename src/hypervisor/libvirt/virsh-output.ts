// virsh's plain-text answers read into data. Lists are asked for by UUID (`--uuid`: one per line,
// nothing else), so names with spaces or odd characters never need to be split out of a table;
// names come from each object's XML.

/** `list --all --uuid` and the like: the UUIDs, lowercase. */
export function parseUuids(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter((line) => /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/.test(line))
}

/** `list --all --uuid --name`: `<uuid> <name>` per line; the name is the rest of the line. */
export function parseUuidNames(output: string): Map<string, string> {
  const names = new Map<string, string>()
  for (const line of output.split('\n')) {
    const match = /^([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}) (.+)$/i.exec(line.trimEnd())
    if (match?.[1] !== undefined && match[2] !== undefined) {
      names.set(match[1].toLowerCase(), match[2].trim())
    }
  }
  return names
}

/** `nodeinfo` and `version`: `Label:   value` lines. */
export function parseLabelledLines(output: string): Map<string, string> {
  const values = new Map<string, string>()
  for (const line of output.split('\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) values.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
  }
  return values
}

/**
 * `vol-list --pool P`: the volumes' paths. The path is the table's last column, so it is read
 * from where the header puts `Path` to the end of the line, spaces and all.
 */
export function parseVolumePaths(output: string): string[] {
  const lines = output.split('\n')
  const header = lines.findIndex((line) => /^\s*Name\s+Path\s*$/.test(line))
  if (header === -1) return []
  const column = (lines[header] ?? '').indexOf('Path')
  return lines
    .slice(header + 2) // the header and its line of dashes
    .map((line) => line.slice(column).trim())
    .filter((path) => path !== '')
}

/** `domstate`: libvirt's state words, in the connector's vocabulary. */
export function parseDomainState(
  output: string,
): 'running' | 'paused' | 'shutoff' | 'suspended' | 'crashed' | 'blocked' | 'unknown' {
  const state = output.trim().split('\n')[0]?.trim() ?? ''
  switch (state) {
    case 'running':
    case 'in shutdown':
      return 'running'
    case 'paused':
      return 'paused'
    case 'shut off':
      return 'shutoff'
    case 'pmsuspended':
      return 'suspended'
    case 'crashed':
      return 'crashed'
    case 'idle':
    case 'blocked':
      return 'blocked'
    default:
      return 'unknown'
  }
}

/**
 * `snapshot-list --domain D`: when each snapshot was taken, ISO 8601, oldest first; undefined when
 * the answer is not a snapshot table (virsh failed: it then prints nothing, not even the header)
 * or a row cannot be read — a snapshot left out would make a VM look as if it had fewer.
 * The time and the state are the last two columns, so each row is read from its end: a name may
 * hold spaces, or characters wider than one column that would shift the header's positions.
 *
 * @example parseSnapshotTimes(' Name   Creation Time   State\n---\n s1   2024-05-01 09:30:00 +0200   running')
 * // ['2024-05-01T07:30:00.000Z']
 */
export function parseSnapshotTimes(output: string): string[] | undefined {
  const lines = output.split('\n')
  const header = lines.findIndex((line) => /^\s*Name\s+Creation Time\s+State\s*$/.test(line))
  if (header === -1 || !/^-+$/.test(lines[header + 1]?.trim() ?? '')) return undefined
  const times: string[] = []
  for (const line of lines.slice(header + 2)) {
    if (line.trim() === '') continue
    const match = /\s(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) ([+-]\d\d)(\d\d)\s+\S+\s*$/.exec(line)
    if (match === null) return undefined
    const [, day, time, hours, minutes] = match
    const taken = Date.parse(`${day}T${time}${hours}:${minutes}`)
    if (Number.isNaN(taken)) return undefined
    times.push(new Date(taken).toISOString())
  }
  return times.sort()
}
