// Opt-in: a real Debian root filesystem made by debootstrap --variant=minbase. Set
// DRIFTWATCH_DEBOOTSTRAP_ROOT to such a root (made once: `debootstrap --variant=minbase bookworm
// DIR http://deb.debian.org/debian`, ~100 s, needs Debian's mirror); skipped otherwise.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { checkJson, driftwatch } from './support/run-cli.js'
import { tempDir } from './support/temp-tree.js'

const ROOT = process.env['DRIFTWATCH_DEBOOTSTRAP_ROOT']

test(
  'a debootstrap minbase root: every collector finds what Debian put there, and nothing is unreadable',
  { skip: ROOT === undefined && 'DRIFTWATCH_DEBOOTSTRAP_ROOT is not set' },
  async () => {
    const run = await driftwatch(['snapshot', '--root', ROOT as string, '--format', 'json'])
    assert.equal(run.code, 0, run.stderr)
    const snapshot = JSON.parse(run.stdout) as {
      elements: { key: string; attributes: Record<string, unknown> }[]
      notChecked: unknown[]
    }
    const element = (key: string): Record<string, unknown> | undefined =>
      snapshot.elements.find((candidate) => candidate.key === key)?.attributes
    assert.deepEqual(snapshot.notChecked, [])
    assert.equal(element('os:release')?.['id'], 'debian')
    assert.equal(element('os:release')?.['versionId'], '12')
    assert.equal(element('package:bash')?.['status'], 'install ok installed')
    assert.ok(
      snapshot.elements.filter((e) => e.key.startsWith('package:')).length > 50,
      'the minbase packages',
    )
    assert.equal(element('user:root')?.['uid'], 0)
    assert.equal(element('privileged:root')?.['via'], 'uid-0')
    assert.ok(
      snapshot.elements.some((e) => e.key.startsWith('service:')),
      'systemd units',
    )
  },
)

test(
  'a debootstrap minbase root: init, a quiet check, then a uid-0 account is found',
  { skip: ROOT === undefined && 'DRIFTWATCH_DEBOOTSTRAP_ROOT is not set', timeout: 300_000 },
  async (t) => {
    const work = tempDir(t)
    const root = join(work, 'root')
    // cp -a: the root holds device nodes, which fs.cpSync cannot copy.
    execFileSync('cp', ['-a', ROOT as string, root])
    const flags = ['--root', root, '--db', join(work, 'fim.db'), '--key', join(work, 'fim.key')]
    const init = await driftwatch(['init', '--quiet', ...flags])
    assert.equal(init.code, 0, init.stderr)
    const quiet = await checkJson(flags)
    assert.deepEqual(quiet.report.changes, [], 'nothing changed')
    assert.deepEqual(quiet.report.notChecked, [])
    appendFileSync(join(root, 'etc/passwd'), 'toor:x:0:0::/root:/bin/bash\n')
    const { report } = await checkJson(flags)
    assert.equal(report.changes.find((change) => change.key === 'user:toor')?.change, 'added')
    assert.equal(report.changes.find((change) => change.key === 'privileged:toor')?.change, 'added')
    assert.equal(
      report.changes.find((change) => change.key === 'file:/etc/passwd')?.change,
      'modified',
    )
  },
)
