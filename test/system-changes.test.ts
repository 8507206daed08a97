// Between init and check, the changes a security team cares about show up as changes of the
// right element, with the right attribute and before → after — like files do.
import assert from 'node:assert/strict'
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { checkJson, driftwatch, type CheckJson } from './support/run-cli.js'
import { tempDir } from './support/temp-tree.js'

const ROOT_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcOJqgjxqz8WgKzD0b4sQ3Q2yA9NfM1fH3k8u2m9xYy mallory@laptop'

function buildRoot(root: string): void {
  for (const dir of [
    'etc/sudoers.d',
    'etc/sysctl.d',
    'etc/systemd/system/multi-user.target.wants',
    'lib/systemd/system',
    'root/.ssh',
  ]) {
    mkdirSync(join(root, dir), { recursive: true })
  }
  writeFileSync(
    join(root, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\n',
  )
  writeFileSync(
    join(root, 'etc/shadow'),
    'root:$6$salt$hash:19000:0:99999:7:::\nalice:$6$salt$hash2:19000:0:99999:7:::\n',
    { mode: 0o640 },
  )
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nsudo:x:27:alice\nalice:x:1000:\n')
  writeFileSync(
    join(root, 'etc/sudoers'),
    'Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n',
    { mode: 0o440 },
  )
  writeFileSync(join(root, 'etc/sysctl.d/99-hardening.conf'), 'net.ipv4.ip_forward = 0\n')
  writeFileSync(
    join(root, 'lib/systemd/system/telnetd.service'),
    '[Unit]\nDescription=telnet\n[Service]\nExecStart=/usr/sbin/in.telnetd\n[Install]\nWantedBy=multi-user.target\n',
  )
  writeFileSync(join(root, 'root/.ssh/authorized_keys'), '')
}

function changeOf(report: CheckJson, key: string): CheckJson['changes'][number] {
  const change = report.changes.find((candidate) => candidate.key === key)
  assert.ok(change, `${key} is reported; got ${report.changes.map((c) => c.key).join(', ')}`)
  return change
}

test('a uid-0 account, a NOPASSWD rule, a root SSH key, an enabled service and a sysctl are each a change', async (t) => {
  const work = tempDir(t)
  const root = join(work, 'root')
  buildRoot(root)
  const flags = ['--root', root, '--db', join(work, 'fim.db'), '--key', join(work, 'fim.key')]
  assert.equal((await driftwatch(['init', '--quiet', ...flags])).code, 0)
  assert.equal((await checkJson(flags)).code, 0, 'nothing changed yet')

  appendFileSync(join(root, 'etc/passwd'), 'toor:x:0:0::/root:/bin/sh\n')
  appendFileSync(join(root, 'etc/shadow'), 'toor::19500:0:99999:7:::\n')
  writeFileSync(join(root, 'etc/sudoers.d/backdoor'), 'alice ALL=(ALL) NOPASSWD: ALL\n')
  writeFileSync(join(root, 'root/.ssh/authorized_keys'), `${ROOT_KEY}\n`)
  symlinkSync(
    '/lib/systemd/system/telnetd.service',
    join(root, 'etc/systemd/system/multi-user.target.wants/telnetd.service'),
  )
  writeFileSync(join(root, 'etc/sysctl.d/99-hardening.conf'), 'net.ipv4.ip_forward = 1\n')

  const { code, report } = await checkJson(flags)
  assert.equal(code, 1)

  const toor = changeOf(report, 'user:toor')
  assert.equal(toor.change, 'added')
  assert.equal(toor.fields['uid']?.after, 0)
  assert.equal(toor.fields['password']?.after, 'empty')

  const rule = report.changes.find(
    (change) => change.key.startsWith('sudo-rule:alice ') && change.change === 'added',
  )
  assert.ok(rule, 'the NOPASSWD rule is an added sudo rule')
  assert.equal(rule.fields['nopasswd']?.after, true)

  const key = report.changes.find((change) => change.key.startsWith('ssh-key:root:SHA256:'))
  assert.equal(key?.change, 'added')
  assert.equal(key?.fields['comment']?.after, 'mallory@laptop')

  const service = changeOf(report, 'service:telnetd.service')
  assert.deepEqual(service.fields['state'], { before: 'disabled', after: 'enabled' })

  const sysctl = changeOf(report, 'sysctl:net.ipv4.ip_forward')
  assert.deepEqual(sysctl.fields['configured'], { before: '0', after: '1' })

  const privileged = report.changes.filter((change) => change.key.startsWith('privileged:'))
  assert.ok(
    privileged.some((change) => change.key === 'privileged:toor' && change.change === 'added'),
    'a new identity that can act as root',
  )

  const text = await driftwatch(['check', '--quiet', ...flags])
  assert.match(text.stdout, /~ service:telnetd\.service\n\s+state: disabled → enabled/)
  assert.match(text.stdout, /~ sysctl:net\.ipv4\.ip_forward\n\s+configured: 0 → 1/)
})
