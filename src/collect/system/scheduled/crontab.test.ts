import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CollectionProblem } from '../system-collector.js'
import { parseAnacrontab } from './anacrontab.js'
import { parseCrontab } from './crontab.js'

// Debian 12's /etc/crontab, shortened, with a tab and runs of spaces as written there.
const ETC_CRONTAB = `# /etc/crontab: system-wide crontab
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin

# Example of job definition:
17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly
25 6\t* * *\troot\ttest -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }
@reboot   root   /usr/local/bin/warm-cache  --all
`

test('system tables name the user after the schedule; whitespace is normalised', () => {
  const problems: CollectionProblem[] = []
  const jobs = parseCrontab(ETC_CRONTAB, '/etc/crontab', undefined, problems)
  assert.deepEqual(problems, [])
  assert.deepEqual(jobs, [
    {
      user: 'root',
      schedule: '17 * * * *',
      command: 'cd / && run-parts --report /etc/cron.hourly',
      source: '/etc/crontab',
    },
    {
      user: 'root',
      schedule: '25 6 * * *',
      command: 'test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }',
      source: '/etc/crontab',
    },
    {
      user: 'root',
      schedule: '@reboot',
      command: '/usr/local/bin/warm-cache --all',
      source: '/etc/crontab',
    },
  ])
})

test("a user's table has no user field: the owner is the table's name", () => {
  const jobs = parseCrontab(
    'MAILTO="ops@example.org"\n  CRON_TZ = UTC\n*/5 9-17 * * mon-fri /home/alice/bin/sync a=b\n',
    '/var/spool/cron/crontabs/alice',
    'alice',
    [],
  )
  assert.deepEqual(jobs, [
    {
      user: 'alice',
      schedule: '*/5 9-17 * * mon-fri',
      command: '/home/alice/bin/sync a=b',
      source: '/var/spool/cron/crontabs/alice',
    },
  ])
})

test('malformed lines are problems with their line number; the good lines are still jobs', () => {
  const problems: CollectionProblem[] = []
  const jobs = parseCrontab(
    [
      '* * * root /bin/too-few-fields',
      '@fortnightly root /bin/unknown-special',
      '0 0 * * * root',
      '0 0 * * * root /bin/good',
      'x\u0000\u0001binary',
    ].join('\n'),
    '/etc/cron.d/mixed',
    undefined,
    problems,
  )
  assert.deepEqual(
    jobs.map((job) => job.command),
    ['/bin/good'],
  )
  assert.deepEqual(problems.map((p) => [p.path, p.reason]).sort(), [
    ['/etc/cron.d/mixed:1', 'malformed'],
    ['/etc/cron.d/mixed:2', 'malformed'],
    ['/etc/cron.d/mixed:3', 'malformed'],
    ['/etc/cron.d/mixed:5', 'malformed'],
  ])
  assert.ok(
    problems.every((p) => !p.detail.includes('/bin/')),
    'details never quote the table',
  )
})

test('anacron jobs run as root, scheduled by period and delay', () => {
  const problems: CollectionProblem[] = []
  const jobs = parseAnacrontab(
    'SHELL=/bin/sh\nSTART_HOURS_RANGE=3-22\n1\t5\tcron.daily\trun-parts --report /etc/cron.daily\n' +
      '@monthly 15 cron.monthly run-parts --report /etc/cron.monthly\nweekly 10 broken\n',
    '/etc/anacrontab',
    problems,
  )
  assert.deepEqual(jobs, [
    {
      user: 'root',
      schedule: '1 5',
      command: 'run-parts --report /etc/cron.daily',
      source: '/etc/anacrontab',
      job: 'cron.daily',
    },
    {
      user: 'root',
      schedule: '@monthly 15',
      command: 'run-parts --report /etc/cron.monthly',
      source: '/etc/anacrontab',
      job: 'cron.monthly',
    },
  ])
  assert.deepEqual(
    problems.map((p) => p.path),
    ['/etc/anacrontab:5'],
  )
})
