// Scheduled tasks: cron tables, anacron and systemd timers.
export { scheduledCollector } from './scheduled-collector.js'
export { parseCrontab, type CronJob } from './crontab.js'
export { parseAnacrontab } from './anacrontab.js'
export { cronElements } from './cron-elements.js'
export { timerElement } from './timer-element.js'
