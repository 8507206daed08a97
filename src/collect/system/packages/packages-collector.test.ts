import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import Database from 'better-sqlite3'
import { tempDir } from '../../../../test/support/temp-tree.js'
import { openTarget } from '../../../target/index.js'
import type { CollectorOutput, CommandRunner } from '../system-collector.js'
import { packagesCollector } from './packages-collector.js'
import { readRpmFileDigests } from './rpm-database.js'

const FIXTURE = new URL('./fixtures/rpmdb.sqlite', import.meta.url)

const NO_COMMANDS: CommandRunner = {
  run() {
    throw new Error('the packages collector never runs programs')
  },
}

function collect(root: string): CollectorOutput {
  return packagesCollector.collect({ target: openTarget({ root }), commands: NO_COMMANDS })
}

/** A root with the rpm fixture database at `directory` (rpm's database directory). */
function rootWithRpmdb(t: TestContext, directory = 'var/lib/rpm'): string {
  const root = tempDir(t, 'dw-packages-')
  mkdirSync(join(root, directory), { recursive: true })
  copyFileSync(FIXTURE, join(root, directory, 'rpmdb.sqlite'))
  return root
}

const DPKG_STATUS = `Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4

Package: libc6
Status: install ok installed
Architecture: i386
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4

Package: openssh-server
Status: install ok installed
Architecture: amd64
Source: openssh
Version: 1:9.2p1-2+deb12u2

Package: telnetd
Status: deinstall ok config-files
Architecture: amd64
Version: 0.17+2.4-2
`

test('reports the packages dpkg knows, multi-arch ones once per architecture', (t) => {
  const root = tempDir(t, 'dw-packages-')
  mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true })
  writeFileSync(join(root, 'var/lib/dpkg/status'), DPKG_STATUS)
  const { elements, problems } = collect(root)
  assert.deepEqual(problems, [])
  assert.deepEqual(elements, [
    {
      key: 'package:libc6:amd64',
      attributes: {
        manager: 'dpkg',
        version: '2.36-9+deb12u4',
        architecture: 'amd64',
        status: 'install ok installed',
        source: 'glibc',
      },
    },
    {
      key: 'package:libc6:i386',
      attributes: {
        manager: 'dpkg',
        version: '2.36-9+deb12u4',
        architecture: 'i386',
        status: 'install ok installed',
        source: 'glibc',
      },
    },
    {
      key: 'package:openssh-server',
      attributes: {
        manager: 'dpkg',
        version: '1:9.2p1-2+deb12u2',
        architecture: 'amd64',
        status: 'install ok installed',
        source: 'openssh',
      },
    },
    {
      key: 'package:telnetd',
      attributes: {
        manager: 'dpkg',
        version: '0.17+2.4-2',
        architecture: 'amd64',
        status: 'deinstall ok config-files',
      },
    },
  ])
})

test("reports the packages in rpm's sqlite database, read through the root", (t) => {
  const { elements, problems } = collect(rootWithRpmdb(t))
  assert.deepEqual(problems, [])
  assert.deepEqual(elements, [
    {
      key: 'package:dw-empty',
      attributes: {
        manager: 'rpm',
        version: '0.1-1',
        architecture: 'noarch',
        status: 'installed',
        source: 'dw-empty-0.1-1.src.rpm',
      },
    },
    {
      key: 'package:dw-hello',
      attributes: {
        manager: 'rpm',
        version: '2:1.2-3',
        architecture: 'noarch',
        status: 'installed',
        source: 'dw-hello-1.2-3.src.rpm',
      },
    },
  ])
})

test('finds the database where Fedora and SUSE keep it, and the digests rpm recorded', (t) => {
  const root = rootWithRpmdb(t, 'usr/lib/sysimage/rpm')
  assert.equal(collect(root).elements.length, 2)
  const digests = readRpmFileDigests(openTarget({ root }), 'dw-hello', 'noarch')
  assert.equal(digests?.algorithm, 'sha256')
  assert.equal(
    digests?.digests.get('/usr/share/dw-hello/hello.txt'),
    '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03',
  )
  assert.equal(readRpmFileDigests(openTarget({ root }), 'dw-hello', 'x86_64'), undefined)
  assert.equal(readRpmFileDigests(openTarget({ root }), 'absent'), undefined)
})

test('a package installed since the last checkpoint (only in rpmdb.sqlite-wal) is reported', (t) => {
  const root = rootWithRpmdb(t)
  const path = join(root, 'var/lib/rpm/rpmdb.sqlite')
  // Keep a connection open so the new row stays in the log, and copy the files as rpm left them.
  const live = new Database(path)
  live.pragma('wal_autocheckpoint = 0')
  const blob = live.prepare('SELECT blob FROM Packages WHERE hnum = 2').pluck().get() as Buffer
  const renamed = Buffer.from(blob)
  const at = renamed.indexOf('dw-empty\0')
  renamed.write('dw-newer\0', at)
  live.prepare('INSERT INTO Packages (blob) VALUES (?)').run(renamed)
  const scanned = join(root, 'scanned')
  mkdirSync(join(scanned, 'var/lib/rpm'), { recursive: true })
  copyFileSync(path, join(scanned, 'var/lib/rpm/rpmdb.sqlite'))
  copyFileSync(`${path}-wal`, join(scanned, 'var/lib/rpm/rpmdb.sqlite-wal'))
  live.close()
  const keys = collect(scanned).elements.map((e) => e.key)
  assert.deepEqual(keys, ['package:dw-empty', 'package:dw-hello', 'package:dw-newer'])
})

test('a damaged header is a problem for that package; the others are still reported', (t) => {
  const root = rootWithRpmdb(t)
  const database = new Database(join(root, 'var/lib/rpm/rpmdb.sqlite'))
  database
    .prepare('INSERT INTO Packages (hnum, blob) VALUES (7, ?)')
    .run(Buffer.from([0, 0, 0, 9, 0, 0, 0, 1]))
  database.close()
  const { elements, problems } = collect(root)
  assert.equal(elements.length, 2)
  assert.deepEqual(
    problems.map((p) => [p.path, p.reason]),
    [['/var/lib/rpm/rpmdb.sqlite#7', 'malformed']],
  )
})

test('an rpm database that is not SQLite, or Berkeley DB, is reported and nothing is made up', (t) => {
  const garbage = tempDir(t, 'dw-packages-')
  mkdirSync(join(garbage, 'var/lib/rpm'), { recursive: true })
  writeFileSync(
    join(garbage, 'var/lib/rpm/rpmdb.sqlite'),
    'this is not a database, it is a text file',
  )
  const damaged = collect(garbage)
  assert.deepEqual(damaged.elements, [])
  assert.deepEqual(
    damaged.problems.map((p) => [p.path, p.reason]),
    [['/var/lib/rpm/rpmdb.sqlite', 'malformed']],
  )

  const berkeley = tempDir(t, 'dw-packages-')
  mkdirSync(join(berkeley, 'var/lib/rpm'), { recursive: true })
  writeFileSync(join(berkeley, 'var/lib/rpm/Packages'), Buffer.alloc(4096))
  const old = collect(berkeley)
  assert.deepEqual(old.elements, [])
  assert.deepEqual(
    old.problems.map((p) => [p.path, p.reason]),
    [['/var/lib/rpm/Packages', 'unavailable']],
  )
  assert.match(old.problems[0]?.detail ?? '', /Berkeley DB/)
})

test('a root without package databases gives no packages and no problems', (t) => {
  assert.deepEqual(collect(tempDir(t, 'dw-packages-')), { elements: [], problems: [] })
})
