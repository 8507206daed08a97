// Turns cron jobs into elements. A job is keyed by what it does, not where it is written, so
// moving a line between files is no change; the same job written twice is one element.
import type { Element } from '../../../model/index.js'
import type { CronJob } from './crontab.js'

/**
 * One `cron:<user>:<schedule> <command>` element per distinct job, sorted by key. `source` lists
 * the tables that hold it; `occurrences` appears when it is written more than once (it then
 * runs more than once).
 *
 * @example
 * cronElements([
 *   { user: 'root', schedule: '@reboot', command: '/bin/warm', source: '/etc/crontab' },
 * ])
 * // [{ key: 'cron:root:@reboot /bin/warm', attributes: { user: 'root', schedule: '@reboot',
 * //    command: '/bin/warm', source: '/etc/crontab' } }]
 */
export function cronElements(jobs: readonly CronJob[]): Element[] {
  const grouped = new Map<string, CronJob[]>()
  for (const job of jobs) {
    const key = `cron:${job.user}:${job.schedule} ${job.command}`
    const group = grouped.get(key)
    if (group === undefined) grouped.set(key, [job])
    else group.push(job)
  }
  const elements: Element[] = []
  for (const [key, group] of grouped) {
    const [first] = group as [CronJob, ...CronJob[]]
    const sources = [...new Set(group.map((job) => job.source))].sort()
    elements.push({
      key,
      attributes: {
        user: first.user,
        schedule: first.schedule,
        command: first.command,
        source: sources.join(','),
        ...(first.job === undefined ? {} : { job: first.job }),
        ...(group.length > 1 ? { occurrences: group.length } : {}),
      },
    })
  }
  return elements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}
