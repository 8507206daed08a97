// Parses /etc/hostname (hostname(5)): one name, comments allowed.
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'

/** Longest host name Linux accepts (HOST_NAME_MAX). */
const MAX_HOSTNAME_LENGTH = 64
/** Letters, digits, hyphens and dots; an underscore is tolerated, as systemd does. */
const HOSTNAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/

/**
 * The host name in an /etc/hostname file: its first line that is not empty or a comment.
 * Undefined (with a problem) when that line is no valid host name, or there is none.
 *
 * @example parseHostname('# set by the installer\nweb-01\n', '/etc/hostname', []) // 'web-01'
 */
export function parseHostname(
  text: string,
  path: string,
  problems: CollectionProblem[],
): string | undefined {
  for (const { number, text: line } of configLines(text, path, problems)) {
    const name = line.trim()
    if (name === '' || name.startsWith('#')) continue
    if (name.length > MAX_HOSTNAME_LENGTH || !HOSTNAME.test(name)) {
      problems.push({
        path: `${path}:${number}`,
        reason: 'malformed',
        detail: 'not a valid host name',
      })
      return undefined
    }
    return name
  }
  problems.push({ path, reason: 'malformed', detail: 'no host name in the file' })
  return undefined
}
