import assert from 'node:assert/strict'
import { test } from 'node:test'
import { plantRoot } from '../../../../test/support/temp-tree.js'
import { openTarget } from '../../../target/index.js'
import type { CollectorOutput, CommandRunner } from '../system-collector.js'
import { osCollector } from './os-collector.js'

const NO_COMMANDS: CommandRunner = {
  run() {
    throw new Error('the OS collector never runs programs')
  },
}

function collect(root: string): CollectorOutput {
  return osCollector.collect({ target: openTarget({ root }), commands: NO_COMMANDS })
}

// Debian 12's /usr/lib/os-release, as shipped.
const DEBIAN_12 = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`

test('reports the operating system and the host name of a root filesystem', (t) => {
  const root = plantRoot(t, {
    '/usr/lib/os-release': DEBIAN_12,
    '/etc/os-release': { link: '../usr/lib/os-release' },
    '/etc/hostname': 'web-01\n',
  })
  const { elements, problems } = collect(root)
  assert.deepEqual(problems, [])
  assert.deepEqual(elements, [
    {
      key: 'os:release',
      attributes: {
        id: 'debian',
        idLike: null,
        name: 'Debian GNU/Linux',
        prettyName: 'Debian GNU/Linux 12 (bookworm)',
        versionCodename: 'bookworm',
        versionId: '12',
        path: '/etc/os-release',
      },
    },
    { key: 'os:hostname', attributes: { hostname: 'web-01' } },
  ])
})

test('falls back to /usr/lib/os-release when /etc has none', (t) => {
  const root = plantRoot(t, { '/usr/lib/os-release': DEBIAN_12 })
  const release = collect(root).elements.find((e) => e.key === 'os:release')
  assert.equal(release?.attributes['path'], '/usr/lib/os-release')
  assert.equal(release?.attributes['id'], 'debian')
})

test('an /etc/os-release that points out of the root is read inside it, never on the host', (t) => {
  const root = plantRoot(t, {
    '/etc/os-release': { link: '../../../../../../../../../etc/os-release' },
    '/usr/lib/os-release': 'ID=inside\n',
  })
  // The link resolves to /etc/os-release inside the root again: a loop, reported as such.
  const { elements, problems } = collect(root)
  assert.equal(
    elements.some((e) => e.attributes['id'] === 'debian'),
    false,
  )
  assert.deepEqual(
    problems.map((p) => [p.path, p.reason]),
    [['/etc/os-release', 'unreadable']],
  )
})

test('without os-release or hostname, the OS is reported unknown and no host name is made up', (t) => {
  const root = plantRoot(t, { '/etc/motd': 'hello\n' })
  const { elements, problems } = collect(root)
  assert.deepEqual(elements, [])
  assert.deepEqual(
    problems.map((p) => [p.path, p.reason]),
    [['/etc/os-release or /usr/lib/os-release', 'unavailable']],
  )
})
