// Reads which units are running from `systemctl list-units` on the live host. Only the files
// say how a unit is configured; this adds what systemd is doing with it right now.
import type { CollectionProblem, CommandRunner } from '../system-collector.js'

export interface UnitActivity {
  /** `loaded`, `not-found`, `masked` … */
  readonly load: string
  /** `active`, `inactive`, `failed`, `activating` … */
  readonly active: string
  /** `running`, `exited`, `dead`, `listening` … */
  readonly sub: string
}

export const LIST_UNITS_ARGS = [
  'list-units',
  '--all',
  '--type=service,socket',
  '--plain',
  '--full',
  '--no-legend',
  '--no-pager',
] as const

const SOURCE = 'systemctl list-units'

/**
 * Parses `systemctl list-units --plain --full --no-legend` output, one
 * `UNIT LOAD ACTIVE SUB DESCRIPTION` per line. Some versions put a `●` before failed units even
 * with --plain.
 *
 * @example parseListUnits('ssh.service loaded active running OpenBSD Secure Shell server\n', [])
 *   .get('ssh.service') // { load: 'loaded', active: 'active', sub: 'running' }
 */
export function parseListUnits(
  stdout: string,
  problems: CollectionProblem[],
): Map<string, UnitActivity> {
  const units = new Map<string, UnitActivity>()
  let number = 0
  for (const line of stdout.split('\n')) {
    number += 1
    const words = line.trim().split(/\s+/)
    if (words[0] === '●' || words[0] === '*') words.shift()
    if (words.length === 1 && words[0] === '') continue
    const [unit, load, active, sub] = words
    if (unit === undefined || sub === undefined || !/^[^\s/]+\.[a-z]+$/.test(unit)) {
      problems.push({
        path: `${SOURCE}:${number}`,
        reason: 'malformed',
        detail: 'not a line of UNIT LOAD ACTIVE SUB',
      })
      continue
    }
    units.set(unit, { load: load as string, active: active as string, sub })
  }
  return units
}

/**
 * Runs systemctl on the live host. Undefined when it could not tell (a problem says why).
 *
 * @example readUnitActivity(new LocalCommandRunner(), problems)?.get('cron.service')?.active
 */
export function readUnitActivity(
  commands: CommandRunner,
  problems: CollectionProblem[],
): Map<string, UnitActivity> | undefined {
  const result = commands.run('systemctl', LIST_UNITS_ARGS)
  if (result === undefined) {
    problems.push({ path: SOURCE, reason: 'unavailable', detail: 'systemctl is not installed' })
    return undefined
  }
  if (result.status !== 0) {
    const stderr = result.stderr.trim().split('\n')[0]?.slice(0, 200) ?? ''
    problems.push({
      path: SOURCE,
      reason: 'unavailable',
      detail: `systemctl exited with status ${result.status ?? 'none (killed)'}: ${stderr}`,
    })
    return undefined
  }
  return parseListUnits(result.stdout, problems)
}
