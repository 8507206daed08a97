import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inMemoryConfigFiles } from './in-memory-config-files.js'

test('list matches like glob(3): within one directory, no hidden files, sorted', () => {
  const files = inMemoryConfigFiles(
    new Map([
      ['/etc/ssh/sshd_config.d/b.conf', ''],
      ['/etc/ssh/sshd_config.d/a.conf', ''],
      ['/etc/ssh/sshd_config.d/.a.conf', ''],
      ['/etc/ssh/sshd_config.d/sub/c.conf', ''],
      ['/etc/ssh/sshd_config', 'Port 22\n'],
    ]),
  )
  assert.deepEqual(files.list('/etc/ssh/sshd_config.d/*.conf'), [
    '/etc/ssh/sshd_config.d/a.conf',
    '/etc/ssh/sshd_config.d/b.conf',
  ])
  assert.deepEqual(files.list('/etc/ssh/sshd_config'), ['/etc/ssh/sshd_config'])
  assert.equal(files.read('/etc/ssh/sshd_config'), 'Port 22\n')
  assert.equal(files.read('/etc/ssh/absent'), undefined)
})
