// Parses cron tables (crontab(5)): the system tables with a user field (/etc/crontab,
// /etc/cron.d/*) and users' own tables without one. Environment settings are not jobs.
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'

/** One job as written in one table. */
export interface CronJob {
  readonly user: string
  /** The schedule as written, whitespace normalised: `*\/5 * * * *`, `@reboot`. */
  readonly schedule: string
  /** The command as written, whitespace normalised. */
  readonly command: string
  /** The table the job is in. */
  readonly source: string
  /** For anacron jobs: the job identifier (the name of its timestamp file). */
  readonly job?: string
}

const SPECIAL_SCHEDULES = new Set([
  '@reboot',
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
])
/** A time field: numbers, names (jan, mon), `*`, ranges, steps, lists, and cronie's `L W # ?`. */
const TIME_FIELD = /^[0-9A-Za-z*,/?#~-]+$/
/** `NAME=value`, `NAME = value`, `"NAME"=value`: an environment setting, not a job. */
export const ENVIRONMENT_SETTING = /^("[^"]*"|'[^']*'|[^\s="']+)\s*=/

/**
 * Parses one cron table. `user` is the owner of a user's table (the file name); without it,
 * each line names its user after the schedule, as in /etc/crontab.
 *
 * @example parseCrontab('17 * * * * root cd / && run-parts --report /etc/cron.hourly\n',
 *   '/etc/crontab', undefined, [])
 * // [{ user: 'root', schedule: '17 * * * *',
 * //    command: 'cd / && run-parts --report /etc/cron.hourly', source: '/etc/crontab' }]
 */
export function parseCrontab(
  text: string,
  source: string,
  user: string | undefined,
  problems: CollectionProblem[],
): CronJob[] {
  const jobs: CronJob[] = []
  for (const { number, text: line } of configLines(text, source, problems)) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#') || ENVIRONMENT_SETTING.test(trimmed)) continue
    const words = trimmed.split(/[ \t]+/)
    const scheduleLength = (words[0] ?? '').startsWith('@') ? 1 : 5
    const schedule = words.slice(0, scheduleLength)
    const problem = scheduleProblem(schedule)
    const rest = words.slice(scheduleLength)
    const owner = user ?? rest.shift()
    const command = rest.join(' ')
    const missing =
      user === undefined
        ? 'expected five time fields (or an @ schedule), a user and a command'
        : 'expected five time fields (or an @ schedule) and a command'
    if (problem !== undefined || owner === undefined || command === '') {
      problems.push({
        path: `${source}:${number}`,
        reason: 'malformed',
        detail: problem ?? missing,
      })
      continue
    }
    jobs.push({ user: owner, schedule: schedule.join(' '), command, source })
  }
  return jobs
}

function scheduleProblem(schedule: readonly string[]): string | undefined {
  const [first] = schedule
  if (first !== undefined && first.startsWith('@')) {
    return SPECIAL_SCHEDULES.has(first.toLowerCase()) ? undefined : 'unknown @ schedule'
  }
  if (schedule.length < 5 || !schedule.every((field) => TIME_FIELD.test(field))) {
    return 'expected five time fields (or an @ schedule) first'
  }
  return undefined
}
