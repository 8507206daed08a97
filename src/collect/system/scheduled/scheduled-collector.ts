// The scheduled collector: cron jobs (system tables, users' tables, anacron) and systemd timers.
// Works on images and offline roots alike: it only reads files.
import type { CollectionProblem, CollectorContext, SystemCollector } from '../system-collector.js'
import { readInstalledUnits } from '../services/index.js'
import { cronElements } from './cron-elements.js'
import { readCronTables } from './cron-tables.js'
import { timerElement } from './timer-element.js'

/**
 * Collects `cron:` and `timer:` elements.
 *
 * @example
 * const { elements, problems } = scheduledCollector.collect({
 *   target: openTarget({}),
 *   commands: new LocalCommandRunner(),
 * })
 */
export const scheduledCollector: SystemCollector = {
  name: 'scheduled',
  collect({ target }: CollectorContext) {
    const problems: CollectionProblem[] = []
    const cron = cronElements(readCronTables(target, problems))
    const timers = readInstalledUnits(target, ['.timer'], problems).map(timerElement)
    return { elements: [...cron, ...timers], problems }
  },
}
