import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { installDpkgPackage, md5 } from '../../test/support/dpkg-root.js'
import { tempDir } from '../../test/support/temp-tree.js'
import { serializeAttributes } from '../model/index.js'
import type { IncomingElement } from '../store/index.js'
import { openTarget } from '../target/index.js'
import { changedFileProvenance } from './changed-file-provenance.js'
import { elementDigest, type AcknowledgedState } from './snapshot-delta.js'

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

function fileElement(path: string, content: string): IncomingElement {
  return {
    key: `file:${path}`,
    attributes: serializeAttributes({ type: 'file', mode: '0755', sha256: sha256(content) }),
  }
}

function packageElement(name: string, version: string): IncomingElement {
  return { key: `package:${name}`, attributes: serializeAttributes({ manager: 'dpkg', version }) }
}

function acknowledge(elements: readonly IncomingElement[]): AcknowledgedState {
  return {
    sequence: 4,
    elements: Object.fromEntries(elements.map((element) => [element.key, elementDigest(element)])),
  }
}

test('an upgraded file gets its new record and MD5; a hand-edited one an MD5 that differs; unchanged ones nothing', (t) => {
  const root = tempDir(t, 'dw-provenance-')
  installDpkgPackage(root, {
    name: 'curl',
    version: '7.88.1-10+deb12u7',
    files: { '/usr/bin/curl': 'curl 7' },
  })
  installDpkgPackage(root, {
    name: 'coreutils',
    version: '9.1-1',
    files: { '/usr/bin/ls': 'ls 9.1', '/usr/bin/cat': 'cat 9.1' },
  })
  const before = [
    fileElement('/usr/bin/cat', 'cat 9.1'),
    fileElement('/usr/bin/curl', 'curl 7'),
    fileElement('/usr/bin/ls', 'ls 9.1'),
    fileElement('/usr/local/bin/tool', 'mine'),
    packageElement('coreutils', '9.1-1'),
    packageElement('curl', '7.88.1-10+deb12u7'),
  ]
  installDpkgPackage(root, {
    name: 'curl',
    version: '7.88.1-10+deb12u8',
    files: { '/usr/bin/curl': 'curl 8' },
  })
  writeFileSync(join(root, 'usr/bin/ls'), 'ls with a backdoor')
  mkdirSync(join(root, 'usr/local/bin'), { recursive: true })
  writeFileSync(join(root, 'usr/local/bin/tool'), 'mine, edited')
  const after = [
    fileElement('/usr/bin/cat', 'cat 9.1'),
    fileElement('/usr/bin/curl', 'curl 8'),
    fileElement('/usr/bin/ls', 'ls with a backdoor'),
    fileElement('/usr/local/bin/tool', 'mine, edited'),
    packageElement('coreutils', '9.1-1'),
    packageElement('curl', '7.88.1-10+deb12u8'),
  ]
  const provenance = changedFileProvenance(openTarget({ root }), after, acknowledge(before))
  assert.deepEqual(provenance, [
    {
      path: '/usr/bin/curl',
      packageKey: 'package:curl',
      version: '7.88.1-10+deb12u8',
      algorithm: 'md5',
      recorded: md5('curl 8'),
      observed: md5('curl 8'),
    },
    {
      path: '/usr/bin/ls',
      packageKey: 'package:coreutils',
      version: '9.1-1',
      algorithm: 'md5',
      recorded: md5('ls 9.1'),
      observed: md5('ls with a backdoor'),
    },
  ])
})

test('no provenance for a baseline, nor for a file whose content changed again after it was hashed', (t) => {
  const root = tempDir(t, 'dw-provenance-')
  installDpkgPackage(root, { name: 'curl', version: '1', files: { '/usr/bin/curl': 'curl 1' } })
  const before = [fileElement('/usr/bin/curl', 'curl 1'), packageElement('curl', '1')]
  installDpkgPackage(root, { name: 'curl', version: '2', files: { '/usr/bin/curl': 'curl 2' } })
  const after = [fileElement('/usr/bin/curl', 'curl 2'), packageElement('curl', '2')]
  const target = openTarget({ root })
  assert.deepEqual(changedFileProvenance(target, after, { sequence: 0, elements: {} }), [])
  assert.equal(changedFileProvenance(target, after, acknowledge(before)).length, 1)
  // Written again between the collection's hash and the agent's: not the content collected.
  writeFileSync(join(root, 'usr/bin/curl'), 'curl 2, then edited')
  assert.deepEqual(changedFileProvenance(target, after, acknowledge(before)), [])
})

test("an rpm system: the record is the header's SHA-256, found in the real rpm database", (t) => {
  const root = tempDir(t, 'dw-provenance-rpm-')
  mkdirSync(join(root, 'var/lib/rpm'), { recursive: true })
  // A database rpm wrote (fixtures/make-rpmdb.sh): dw-hello records hello.txt as "hello\n".
  copyFileSync(
    new URL('../collect/system/packages/fixtures/rpmdb.sqlite', import.meta.url),
    join(root, 'var/lib/rpm/rpmdb.sqlite'),
  )
  mkdirSync(join(root, 'usr/share/dw-hello'), { recursive: true })
  writeFileSync(join(root, 'usr/share/dw-hello/hello.txt'), 'hello\n')
  const elements = [
    fileElement('/usr/share/dw-hello/hello.txt', 'hello\n'),
    {
      key: 'package:dw-hello',
      attributes: serializeAttributes({ manager: 'rpm', version: '1.0-1' }),
    },
  ]
  const provenance = changedFileProvenance(openTarget({ root }), elements, {
    sequence: 2,
    elements: { 'file:/usr/share/dw-hello/hello.txt': 'older' },
  })
  assert.deepEqual(provenance, [
    {
      path: '/usr/share/dw-hello/hello.txt',
      packageKey: 'package:dw-hello',
      version: '1.0-1',
      algorithm: 'sha256',
      recorded: sha256('hello\n'),
      observed: sha256('hello\n'),
    },
  ])
})
