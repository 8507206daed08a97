// Parses /etc/anacrontab (anacrontab(5)): `period delay job-identifier command`, run as root.
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { ENVIRONMENT_SETTING, type CronJob } from './crontab.js'

/** Days as a number, or `@daily`, `@weekly`, `@monthly`, `@yearly` (and `@annually`). */
const PERIOD = /^(\d+|@(daily|weekly|monthly|yearly|annually))$/

/**
 * Anacron jobs as cron jobs of root: the schedule is `period delay`, the identifier is `job`.
 *
 * @example parseAnacrontab('1 5 cron.daily run-parts /etc/cron.daily\n', '/etc/anacrontab', [])
 * // [{ user: 'root', schedule: '1 5', command: 'run-parts /etc/cron.daily',
 * //    source: '/etc/anacrontab', job: 'cron.daily' }]
 */
export function parseAnacrontab(
  text: string,
  source: string,
  problems: CollectionProblem[],
): CronJob[] {
  const jobs: CronJob[] = []
  for (const { number, text: line } of configLines(text, source, problems)) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#') || ENVIRONMENT_SETTING.test(trimmed)) continue
    const [period = '', delay = '', job = '', ...command] = trimmed.split(/[ \t]+/)
    if (!PERIOD.test(period) || !/^\d+$/.test(delay) || job === '' || command.length === 0) {
      problems.push({
        path: `${source}:${number}`,
        reason: 'malformed',
        detail: 'expected a period, a delay, a job identifier and a command',
      })
      continue
    }
    jobs.push({
      user: 'root',
      schedule: `${period} ${delay}`,
      command: command.join(' '),
      source,
      job,
    })
  }
  return jobs
}
