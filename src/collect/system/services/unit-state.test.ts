import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { UnitLink } from './unit-catalog.js'
import {
  isInstanceName,
  linkOwners,
  linksOfUnit,
  unitFileState,
  type InstallRules,
  type UnitEntryKind,
} from './unit-state.js'

function unitFile(install: Partial<InstallRules> = {}): UnitEntryKind {
  return {
    kind: 'file',
    viaLink: false,
    install: {
      hasRules: false,
      hasAlso: false,
      aliases: [],
      defaultInstance: undefined,
      ...install,
    },
  }
}
const withRules = unitFile({ hasRules: true })
const noInstall = unitFile()

function wants(
  name: string,
  owner: string,
  scope: UnitLink['scope'],
  destination = name,
): UnitLink {
  return { name, destination, owner, relation: 'wants', scope }
}
function alias(name: string, destination: string, scope: UnitLink['scope']): UnitLink {
  return { name, destination, owner: undefined, relation: 'alias', scope }
}

test('a link in /etc/systemd/system/*.wants enables a unit', () => {
  const links = [wants('ssh.service', 'multi-user.target', 'config')]
  assert.equal(unitFileState('ssh.service', 'vendor', withRules, links), 'enabled')
})

test('without a link, a unit with an [Install] section is disabled and one without is static', () => {
  assert.equal(unitFileState('cups.service', 'vendor', withRules, []), 'disabled')
  assert.equal(unitFileState('journald.service', 'vendor', noInstall, []), 'static')
  assert.equal(
    unitFileState('x.service', 'vendor', unitFile({ hasAlso: false }), []),
    'static',
    'an empty [Install] section asks for nothing',
  )
})

test('links shipped by packages in /usr do not enable a unit, as systemctl sees it', () => {
  const links = linksOfUnit('journald.service', [
    wants('journald.service', 'sysinit.target', 'vendor'),
  ])
  assert.equal(unitFileState('journald.service', 'vendor', noInstall, links), 'static')
  assert.equal(unitFileState('journald.service', 'vendor', withRules, links), 'disabled')
  assert.deepEqual(linkOwners(links, 'wants'), ['sysinit.target'])
})

test('a unit with only Also= in [Install] is indirect', () => {
  assert.equal(unitFileState('nfs.service', 'vendor', unitFile({ hasAlso: true }), []), 'indirect')
})

test('masked, alias, linked and runtime states take precedence as in systemctl', () => {
  const enabledLinks = [wants('x.service', 'multi-user.target', 'config')]
  assert.equal(unitFileState('x.service', 'config', { kind: 'masked' }, enabledLinks), 'masked')
  assert.equal(unitFileState('x.service', 'runtime', { kind: 'masked' }, []), 'masked-runtime')
  assert.equal(
    unitFileState('x.service', 'config', { kind: 'alias', aliasOf: 'y.service' }, []),
    'alias',
  )
  const linked: UnitEntryKind = {
    ...(withRules as { kind: 'file'; install: InstallRules }),
    viaLink: true,
  }
  assert.equal(unitFileState('x.service', 'config', linked, []), 'linked')
  assert.equal(
    unitFileState('x.service', 'config', linked, enabledLinks),
    'enabled',
    'a linked unit that is also enabled is enabled',
  )
  const runtime = [wants('x.service', 'multi-user.target', 'runtime')]
  assert.equal(unitFileState('x.service', 'vendor', withRules, runtime), 'enabled-runtime')
  assert.equal(unitFileState('x.service', 'config', { kind: 'dangling' }, []), 'bad')
})

test('a template is enabled by its DefaultInstance; other instances make it indirect', () => {
  const links = [wants('getty@tty1.service', 'getty.target', 'config', 'getty@.service')]
  const own = linksOfUnit('getty@.service', links)
  assert.deepEqual(linkOwners(own, 'wants'), ['getty.target'])
  const withDefault = unitFile({ hasRules: true, defaultInstance: 'tty1' })
  const withOther = unitFile({ hasRules: true, defaultInstance: 'tty2' })
  assert.equal(unitFileState('getty@.service', 'vendor', withDefault, own), 'enabled')
  assert.equal(unitFileState('getty@.service', 'vendor', withOther, own), 'indirect')
  assert.equal(unitFileState('getty@.service', 'vendor', withRules, own), 'indirect')
})

test('an alias link enables a unit only under a name its Alias= declares', () => {
  const links = [alias('sshd.service', 'ssh.service', 'config')]
  const own = linksOfUnit('ssh.service', links)
  const declared = unitFile({ hasRules: true, aliases: ['sshd.service'] })
  assert.equal(unitFileState('ssh.service', 'vendor', declared, own), 'enabled')
  assert.equal(unitFileState('ssh.service', 'vendor', withRules, own), 'indirect')
  assert.deepEqual(linkOwners(own, 'wants'), [], 'an alias is no .wants link')
  assert.deepEqual(linksOfUnit('sshd.service', links), [], 'the alias name itself is not enabled')
  const vendorAlias = linksOfUnit('ssh.service', [alias('sshd.service', 'ssh.service', 'vendor')])
  assert.equal(unitFileState('ssh.service', 'vendor', withRules, vendorAlias), 'disabled')
})

test('instance names are told from template names', () => {
  assert.equal(isInstanceName('getty@tty1.service'), true)
  assert.equal(isInstanceName('getty@.service'), false)
  assert.equal(isInstanceName('ssh.service'), false)
})

test('a .wants link counts by its name, not by where it points, as in systemctl', () => {
  const links = [wants('renamed.service', 'multi-user.target', 'config', 'other.service')]
  const own = linksOfUnit('other.service', links)
  assert.equal(unitFileState('other.service', 'vendor', withRules, own), 'disabled')
  assert.deepEqual(
    linkOwners(own, 'wants'),
    ['multi-user.target'],
    'the target that links to it is still listed',
  )
})
