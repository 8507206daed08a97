import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { tempDir } from '../../../../test/support/temp-tree.js'
import { openTarget } from '../../../target/index.js'
import { readInstalledUnits } from './installed-units.js'

const LIB = '/lib/systemd/system'
const ETC = '/etc/systemd/system'
const SERVICE = '[Service]\nExecStart=/bin/true\n'

/** Units whose state depends on systemd's finer rules, each named after the case it tests. */
const HARD_CASES: Record<string, string | { link: string }> = {
  [`${LIB}/wanted.service`]: `${SERVICE}[Install]\nWantedBy=multi-user.target\n`,
  [`${ETC}/multi-user.target.wants/wanted.service`]: { link: `${LIB}/wanted.service` },
  [`${LIB}/required.service`]: `${SERVICE}[Install]\nRequiredBy=multi-user.target\n`,
  [`${ETC}/multi-user.target.requires/required.service`]: { link: `${LIB}/required.service` },
  [`${LIB}/not-enabled.service`]: `${SERVICE}[Install]\nWantedBy=multi-user.target \\\n  graphical.target\n`,
  [`${LIB}/no-install.service`]: SERVICE,
  [`${LIB}/empty-install.service`]: `${SERVICE}[Install]\n`,
  [`${LIB}/also-only.service`]: `${SERVICE}[Install]\nAlso=also-only.socket\n`,
  [`${LIB}/vendor-wanted.service`]: `${SERVICE}[Install]\nWantedBy=multi-user.target\n`,
  [`${LIB}/multi-user.target.wants/vendor-wanted.service`]: { link: '../vendor-wanted.service' },
  [`${LIB}/vendor-static.service`]: SERVICE,
  [`${LIB}/sysinit.target.wants/vendor-static.service`]: { link: '../vendor-static.service' },
  [`${LIB}/declared.service`]: `${SERVICE}[Install]\nWantedBy=multi-user.target\nAlias=declared-alias.service\n`,
  [`${ETC}/declared-alias.service`]: { link: `${LIB}/declared.service` },
  [`${LIB}/undeclared.service`]: `${SERVICE}[Install]\nWantedBy=multi-user.target\n`,
  [`${ETC}/undeclared-alias.service`]: { link: `${LIB}/undeclared.service` },
  [`${LIB}/vendor-aliased.service`]: `${SERVICE}[Install]\nWantedBy=multi-user.target\n`,
  [`${LIB}/vendor-alias.service`]: { link: 'vendor-aliased.service' },
  [`${LIB}/alias-chain.service`]: { link: 'vendor-alias.service' },
  [`${LIB}/pointed-at.service`]: `${SERVICE}[Install]\nWantedBy=multi-user.target\n`,
  [`${ETC}/multi-user.target.wants/other-name.service`]: { link: `${LIB}/pointed-at.service` },
  [`${LIB}/default-instance@.service`]: `${SERVICE}[Install]\nWantedBy=getty.target\nDefaultInstance=tty1\n`,
  [`${ETC}/getty.target.wants/default-instance@tty1.service`]: {
    link: `${LIB}/default-instance@.service`,
  },
  [`${LIB}/other-instance@.service`]: `${SERVICE}[Install]\nWantedBy=getty.target\nDefaultInstance=tty1\n`,
  [`${ETC}/getty.target.wants/other-instance@tty5.service`]: {
    link: `${LIB}/other-instance@.service`,
  },
  [`${LIB}/masked-by-link.service`]: `${SERVICE}[Install]\nWantedBy=multi-user.target\n`,
  [`${ETC}/masked-by-link.service`]: { link: '/dev/null' },
  [`${ETC}/masked-by-empty-file.socket`]: '',
  [`${LIB}/overridden.service`]: `${SERVICE}[Install]\nWantedBy=multi-user.target\n`,
  [`${ETC}/overridden.service`]: `${SERVICE}[Install]\nWantedBy=multi-user.target\n`,
  [`${ETC}/multi-user.target.wants/overridden.service`]: { link: `${ETC}/overridden.service` },
  ['/opt/app/linked.service']: `${SERVICE}[Install]\nWantedBy=multi-user.target\n`,
  [`${ETC}/linked.service`]: { link: '/opt/app/linked.service' },
  ['/opt/app/linked-enabled.service']: `${SERVICE}[Install]\nWantedBy=multi-user.target\n`,
  [`${ETC}/linked-enabled.service`]: { link: '/opt/app/linked-enabled.service' },
  [`${ETC}/multi-user.target.wants/linked-enabled.service`]: {
    link: '/opt/app/linked-enabled.service',
  },
  [`${ETC}/dangling.service`]: { link: '/nonexistent/dangling.service' },
  [`${LIB}/self-linked.service`]: `${SERVICE}[Install]\nWantedBy=multi-user.target\n`,
  [`${ETC}/self-linked.service`]: { link: `${LIB}/self-linked.service` },
  ['/usr/lib/systemd/system/in-usr.service']: `${SERVICE}[Install]\nWantedBy=multi-user.target\n`,
  [`${LIB}/alias-across-directories.service`]: { link: 'in-usr.service' },
  [`${ETC}/alias-loop-a.service`]: { link: 'alias-loop-b.service' },
  [`${ETC}/alias-loop-b.service`]: { link: 'alias-loop-a.service' },
  [`${ETC}/alias-of-nothing.service`]: { link: `${LIB}/nothing.service` },
  [`${LIB}/daily.timer`]: '[Timer]\nOnCalendar=daily\n[Install]\nWantedBy=timers.target\n',
  [`${ETC}/timers.target.wants/daily.timer`]: { link: `${LIB}/daily.timer` },
  [`${LIB}/multi-user.target`]: '[Unit]\nDescription=Multi-User System\n',
}

const systemctl = spawnSync('systemctl', ['--version'], { encoding: 'utf8' })

test(
  'unit states agree with systemctl --root on the cases where its rules are subtle',
  { skip: systemctl.status === 0 ? false : 'systemctl is not installed' },
  (t) => {
    const root = tempDir(t, 'dw-systemctl-')
    for (const [path, entry] of Object.entries(HARD_CASES)) {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      if (typeof entry === 'string') writeFileSync(join(root, path), entry)
      else symlinkSync(entry.link, join(root, path))
    }
    const listed = spawnSync(
      'systemctl',
      [
        `--root=${root}`,
        'list-unit-files',
        '--type=service,socket,timer',
        '--no-legend',
        '--no-pager',
      ],
      { encoding: 'utf8' },
    )
    assert.equal(listed.status, 0, listed.stderr)
    const expected = listed.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/).slice(0, 2).join(' '))
      .sort()
    const ours = readInstalledUnits(openTarget({ root }), ['.service', '.socket', '.timer'], [])
      .map((unit) => `${unit.name} ${unit.state ?? '?'}`)
      .sort()
    assert.deepEqual(ours, expected)
  },
)
