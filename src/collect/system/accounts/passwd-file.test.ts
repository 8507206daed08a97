import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { parseId, parsePasswd } from './passwd-file.js'

function parse(text: string): {
  entries: ReturnType<typeof parsePasswd>
  problems: CollectionProblem[]
} {
  const problems: CollectionProblem[] = []
  const entries = parsePasswd(configLines(text, '/etc/passwd', problems), '/etc/passwd', problems)
  return { entries, problems }
}

test('an x in the password field points to /etc/shadow; any other field is judged by state only', () => {
  const { entries, problems } = parse(
    'root:x:0:0:root:/root:/bin/bash\n' +
      'old:$1$salt$oldhash:1001:1001:Old Style:/home/old:/bin/sh\n' +
      'open::1002:1002::/home/open:/bin/sh\n',
  )
  assert.deepEqual(problems, [])
  assert.deepEqual(entries[0], {
    name: 'root',
    password: 'shadow',
    uid: 0,
    gid: 0,
    gecos: 'root',
    home: '/root',
    shell: '/bin/bash',
    line: 1,
  })
  assert.equal(entries[1]?.password, 'set')
  assert.equal(entries[2]?.password, 'empty')
  assert.ok(!JSON.stringify(entries).includes('salt'), 'no part of a hash is kept')
})

test('malformed lines are problems naming file:line, without quoting the line', () => {
  const { entries, problems } = parse(
    'root:x:0:0:root:/root:/bin/bash\n' +
      'short:x:1\n' +
      'baduid:x:abc:0::/:/bin/sh\n' +
      'evil\u001b[2J:x:5:5::/:/bin/sh\n' +
      'a,b:x:6:6::/:/bin/sh\n' +
      'root:x:1000:1000:second root:/tmp:/bin/sh\n' +
      '+@netgroup::::::\n',
  )
  assert.deepEqual(
    entries.map((entry) => entry.name),
    ['root'],
  )
  assert.deepEqual(
    problems.map((problem) => [problem.path, problem.reason]),
    [
      ['/etc/passwd:2', 'malformed'],
      ['/etc/passwd:3', 'malformed'],
      ['/etc/passwd:4', 'malformed'],
      ['/etc/passwd:5', 'malformed'],
      ['/etc/passwd:6', 'malformed'],
      ['/etc/passwd:7', 'unavailable'],
    ],
  )
  assert.match(problems[4]?.detail ?? '', /line 1 is used/, 'the first entry of a name wins')
  for (const problem of problems) assert.doesNotMatch(problem.detail, /short|baduid|evil|second/)
})

test('ids are decimal numbers the kernel accepts', () => {
  assert.equal(parseId('0'), 0)
  assert.equal(parseId('4294967294'), 4294967294)
  assert.equal(parseId('4294967295'), undefined, '(uid_t)-1 is no id')
  assert.equal(parseId('-1'), undefined)
  assert.equal(parseId('1e3'), undefined)
  assert.equal(parseId(''), undefined)
})
