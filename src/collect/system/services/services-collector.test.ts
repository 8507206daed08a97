import assert from 'node:assert/strict'
import { test } from 'node:test'
import { plantRoot } from '../../../../test/support/temp-tree.js'
import type { Element } from '../../../model/index.js'
import { DirectoryTarget, openTarget } from '../../../target/index.js'
import type { CommandResult, CommandRunner } from '../system-collector.js'
import { servicesCollector } from './services-collector.js'

const LIB = '/lib/systemd/system'
const ETC = '/etc/systemd/system'

/** A Debian-like root: enabled, disabled, static, masked, aliased and template units. */
const DEBIAN_LIKE = {
  [`${LIB}/ssh.service`]:
    '[Unit]\nDescription=OpenBSD Secure Shell server\n[Service]\nExecStart=/usr/sbin/sshd -D\n' +
    '[Install]\nWantedBy=multi-user.target\nAlias=sshd.service\n',
  [`${LIB}/ssh.socket`]: '[Socket]\nListenStream=22\n[Install]\nWantedBy=sockets.target\n',
  [`${ETC}/multi-user.target.wants/ssh.service`]: { link: `${LIB}/ssh.service` },
  [`${ETC}/sshd.service`]: { link: `${LIB}/ssh.service` },
  [`${LIB}/cups.service`]:
    '[Service]\nExecStart=/usr/sbin/cupsd\n[Install]\nWantedBy=printer.target\n',
  [`${LIB}/systemd-journald.service`]: '[Service]\nExecStart=/lib/systemd/systemd-journald\n',
  [`${LIB}/sysinit.target.wants/systemd-journald.service`]: { link: '../systemd-journald.service' },
  [`${LIB}/getty@.service`]:
    '[Service]\nExecStart=-/sbin/agetty %I\n[Install]\nWantedBy=getty.target\nDefaultInstance=tty1\n',
  [`${ETC}/getty.target.wants/getty@tty1.service`]: { link: `${LIB}/getty@.service` },
  [`${LIB}/rsync.service`]:
    '[Service]\nExecStart=/usr/bin/rsync --daemon\n[Install]\nWantedBy=multi-user.target\n',
  [`${ETC}/rsync.service`]: { link: '/dev/null' },
  [`${ETC}/telnet.socket`]: '',
  [`${LIB}/nfs.service`]: '[Service]\nExecStart=/bin/true\n[Install]\nAlso=nfs.socket\n',
  [`${LIB}/cron.service`]:
    '[Service]\nExecStart=/usr/sbin/cron -f\n[Install]\nWantedBy=multi-user.target\n',
  [`${ETC}/cron.service`]:
    '[Service]\nExecStart=/usr/sbin/cron -f -L 15\n[Install]\nWantedBy=multi-user.target\n',
  [`${ETC}/multi-user.target.wants/cron.service`]: { link: `${ETC}/cron.service` },
  [`${LIB}/multi-user.target`]: '[Unit]\nDescription=Multi-User System\n',
}

function byKey(elements: readonly Element[]): Map<string, Element> {
  return new Map(elements.map((element) => [element.key, element]))
}

const NO_COMMANDS: CommandRunner = {
  run() {
    throw new Error('an offline root must never run programs')
  },
}

test('reports each service and socket unit with the state systemctl is-enabled would show', (t) => {
  const root = plantRoot(t, DEBIAN_LIKE)
  const { elements, problems } = servicesCollector.collect({
    target: openTarget({ root }),
    commands: NO_COMMANDS,
  })
  assert.deepEqual(problems, [])
  const found = byKey(elements)
  assert.deepEqual(
    [...found.keys()],
    [
      'service:cron.service',
      'service:cups.service',
      'service:getty@.service',
      'service:nfs.service',
      'service:rsync.service',
      'service:ssh.service',
      'service:ssh.socket',
      'service:sshd.service',
      'service:systemd-journald.service',
      'service:telnet.socket',
    ],
    'targets are not services; every name appears once',
  )
  const states = Object.fromEntries(elements.map((e) => [e.key, e.attributes['state']]))
  assert.deepEqual(states, {
    'service:cron.service': 'enabled',
    'service:cups.service': 'disabled',
    'service:getty@.service': 'enabled',
    'service:nfs.service': 'indirect',
    'service:rsync.service': 'masked',
    'service:ssh.service': 'enabled',
    'service:ssh.socket': 'disabled',
    'service:sshd.service': 'alias',
    'service:systemd-journald.service': 'static',
    'service:telnet.socket': 'masked',
  })
  assert.deepEqual(found.get('service:ssh.service')?.attributes, {
    state: 'enabled',
    path: '/lib/systemd/system/ssh.service',
    wantedBy: 'multi-user.target',
  })
  assert.deepEqual(found.get('service:sshd.service')?.attributes, {
    state: 'alias',
    path: '/etc/systemd/system/sshd.service',
    wantedBy: '',
    aliasOf: 'ssh.service',
  })
  assert.equal(
    found.get('service:cron.service')?.attributes['path'],
    '/etc/systemd/system/cron.service',
    'a unit file in /etc overrides the packaged one',
  )
  assert.equal(found.get('service:getty@.service')?.attributes['wantedBy'], 'getty.target')
  assert.equal(
    found.get('service:systemd-journald.service')?.attributes['wantedBy'],
    'sysinit.target',
    'links shipped in /usr are listed although they do not make the unit enabled',
  )
  assert.ok(
    elements.every((e) => !('activeState' in e.attributes)),
    'no live state offline',
  )
})

test('disabling a service shows as a changed state and wantedBy', (t) => {
  const before = plantRoot(t, DEBIAN_LIKE)
  // What `systemctl disable ssh` removes: the .wants link and the alias link (which alone would
  // still count as enabled).
  const disabled: Record<string, string | { link: string }> = { ...DEBIAN_LIKE }
  delete disabled[`${ETC}/multi-user.target.wants/ssh.service`]
  delete disabled[`${ETC}/sshd.service`]
  const after = plantRoot(t, disabled)
  const ssh = (root: string): Element | undefined =>
    byKey(
      servicesCollector.collect({ target: openTarget({ root }), commands: NO_COMMANDS }).elements,
    ).get('service:ssh.service')
  assert.equal(ssh(before)?.attributes['state'], 'enabled')
  assert.equal(ssh(after)?.attributes['state'], 'disabled')
  assert.equal(ssh(after)?.attributes['wantedBy'], '')
})

test('malformed unit lines are problems of that file; the unit is still reported', (t) => {
  const root = plantRoot(t, {
    [`${LIB}/odd.service`]:
      '[Service]\nthis line has no equals sign\n[Install]\nWantedBy=multi-user.target\n',
    [`${LIB}/binary.service`]: '[Service]\nExecStart=/bin/true\u0000\u0001\n',
  })
  const { elements, problems } = servicesCollector.collect({
    target: openTarget({ root }),
    commands: NO_COMMANDS,
  })
  assert.deepEqual(
    problems.map((p) => [p.path, p.reason]),
    [
      ['/lib/systemd/system/binary.service:2', 'malformed'],
      ['/lib/systemd/system/odd.service:2', 'malformed'],
    ],
  )
  assert.equal(byKey(elements).get('service:odd.service')?.attributes['state'], 'disabled')
  assert.equal(byKey(elements).get('service:binary.service')?.attributes['state'], 'static')
})

test('links that leave the root, loop or lead nowhere are problems, never reads of the host', (t) => {
  const root = plantRoot(t, {
    // On the host /etc/passwd exists; inside this root it does not.
    [`${ETC}/escape.service`]: { link: '../../../../../../../../etc/passwd' },
    [`${ETC}/absolute.service`]: { link: '/etc/passwd' },
    [`${ETC}/loop-a.service`]: { link: 'loop-b.service' },
    [`${ETC}/loop-b.service`]: { link: 'loop-a.service' },
    [`${ETC}/multi-user.target.wants`]: { link: '/' },
  })
  const { elements, problems } = servicesCollector.collect({
    target: openTarget({ root }),
    commands: NO_COMMANDS,
  })
  const found = byKey(elements)
  assert.equal(found.get('service:escape.service')?.attributes['state'], 'bad')
  assert.equal(found.get('service:absolute.service')?.attributes['state'], 'bad')
  assert.equal(found.get('service:loop-a.service')?.attributes['state'], 'bad', 'an alias loop')
  assert.deepEqual(problems.map((p) => [p.path, p.reason]).sort(), [
    ['/etc/systemd/system/absolute.service', 'unreadable'],
    ['/etc/systemd/system/escape.service', 'unreadable'],
    ['/etc/systemd/system/loop-a.service', 'unreadable'],
    ['/etc/systemd/system/loop-b.service', 'unreadable'],
  ])
})

/** Recorded: a CommandRunner that answers with captured output and notes what was asked. */
function recordedSystemctl(stdout: string, asked: string[][]): CommandRunner {
  return {
    run(command: string, args: readonly string[]): CommandResult {
      asked.push([command, ...args])
      return { status: 0, stdout, stderr: '' }
    },
  }
}

// In the format of `systemctl list-units --all --type=service,socket --plain --no-legend
// --no-pager` on systemd 252 (Debian 12), including the bullet it prints before failed units.
const LIST_UNITS = `cron.service                 loaded    active   running Regular background program processing daemon
getty@tty1.service           loaded    active   running Getty on tty1
● rsync.service              masked    inactive dead    rsync.service
ssh.service                  loaded    active   running OpenBSD Secure Shell server
ssh.socket                   loaded    inactive dead    OpenBSD Secure Shell server socket
systemd-journald.service     loaded    active   running Journal Service
`

test('on a live host running systemd, each unit shows whether it is running', (t) => {
  const root = plantRoot(t, { ...DEBIAN_LIKE, '/run/systemd/system/.keep': '' })
  const target = new DirectoryTarget(root, { live: true, description: 'test host' })
  const asked: string[][] = []
  const { elements, problems } = servicesCollector.collect({
    target,
    commands: recordedSystemctl(LIST_UNITS, asked),
  })
  assert.deepEqual(problems, [])
  assert.deepEqual(asked, [
    [
      'systemctl',
      'list-units',
      '--all',
      '--type=service,socket',
      '--plain',
      '--full',
      '--no-legend',
      '--no-pager',
    ],
  ])
  const live = (key: string): [unknown, unknown] => {
    const attributes = byKey(elements).get(key)?.attributes
    return [attributes?.['activeState'], attributes?.['subState']]
  }
  assert.deepEqual(live('service:ssh.service'), ['active', 'running'])
  assert.deepEqual(live('service:rsync.service'), ['inactive', 'dead'])
  assert.deepEqual(live('service:cups.service'), ['inactive', 'dead'], 'not loaded: inactive')
})

test('on a live host without systemd, no program is run and no running state is claimed', (t) => {
  const root = plantRoot(t, DEBIAN_LIKE)
  const target = new DirectoryTarget(root, { live: true, description: 'test host' })
  const { elements, problems } = servicesCollector.collect({ target, commands: NO_COMMANDS })
  assert.deepEqual(problems, [])
  assert.ok(elements.every((e) => !('activeState' in e.attributes)))
})

test('a missing or failing systemctl is reported, and the unit files are still read', (t) => {
  const root = plantRoot(t, { ...DEBIAN_LIKE, '/run/systemd/system/.keep': '' })
  const target = new DirectoryTarget(root, { live: true, description: 'test host' })
  const missing = servicesCollector.collect({ target, commands: { run: () => undefined } })
  assert.deepEqual(
    missing.problems.map((p) => [p.path, p.reason]),
    [['systemctl list-units', 'unavailable']],
  )
  assert.equal(missing.elements.length, 10)
  const failing = servicesCollector.collect({
    target,
    commands: {
      run: () => ({ status: 1, stdout: '', stderr: 'Failed to connect to bus: No such file\n' }),
    },
  })
  assert.match(failing.problems[0]?.detail ?? '', /status 1: Failed to connect to bus/)
  assert.ok(failing.elements.every((e) => !('activeState' in e.attributes)))
})
