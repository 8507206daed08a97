// Finds and reads every cron table of a Target: the system tables, the users' tables in the
// spool (Debian's and Red Hat's places) and anacron's table.
import type { Target } from '../../../target/index.js'
import { readConfigText } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { parseAnacrontab } from './anacrontab.js'
import { parseCrontab, type CronJob } from './crontab.js'

/** No cron table is this big; a larger one is reported, not parsed. */
const MAX_CRONTAB_BYTES = 4 * 1024 * 1024

/** Users' tables: Debian's cron, then cronie's (Red Hat, SUSE). */
const USER_SPOOLS = ['/var/spool/cron/crontabs', '/var/spool/cron']

/**
 * Editor backups and files a package manager set aside: cron skips them (cronie by these
 * rules; Debian's cron is stricter and also skips names with a dot).
 */
const SET_ASIDE = /(^\.|~$|\.(dpkg-(old|new|dist|tmp|bak)|rpm(save|new|orig)|swp|bak)$)/

/**
 * Reads all cron jobs of a Target, in the order: /etc/crontab, /etc/cron.d, users' tables,
 * /etc/anacrontab.
 *
 * @example readCronTables(openTarget({}), problems).length
 */
export function readCronTables(target: Target, problems: CollectionProblem[]): CronJob[] {
  const jobs: CronJob[] = []
  const read = (path: string): string | undefined =>
    readConfigText(target, path, problems, MAX_CRONTAB_BYTES)

  const systemTable = read('/etc/crontab')
  if (systemTable !== undefined)
    jobs.push(...parseCrontab(systemTable, '/etc/crontab', undefined, problems))
  for (const path of tableFiles(target, '/etc/cron.d', problems)) {
    const text = read(path)
    if (text !== undefined) jobs.push(...parseCrontab(text, path, undefined, problems))
  }
  for (const spool of USER_SPOOLS) {
    for (const path of tableFiles(target, spool, problems)) {
      const text = read(path)
      const user = path.slice(spool.length + 1)
      if (text !== undefined) jobs.push(...parseCrontab(text, path, user, problems))
    }
  }
  const anacrontab = read('/etc/anacrontab')
  if (anacrontab !== undefined)
    jobs.push(...parseAnacrontab(anacrontab, '/etc/anacrontab', problems))
  return jobs
}

/**
 * The entries of a directory that cron would read: files, and links, which are read as what
 * they lead to inside the root (a link to a directory is then reported). Directories (such as
 * /var/spool/cron/crontabs inside /var/spool/cron), FIFOs and devices are skipped unopened.
 */
function tableFiles(target: Target, directory: string, problems: CollectionProblem[]): string[] {
  let names: string[] | undefined
  try {
    names = target.listDirectory(directory)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    problems.push({ path: directory, reason: 'unreadable', detail: code })
    return []
  }
  const files: string[] = []
  for (const name of names ?? []) {
    if (SET_ASIDE.test(name)) continue
    const path = `${directory}/${name}`
    const type = target.entryType(path)
    if (type === 'file' || type === 'symlink') files.push(path)
  }
  return files
}
