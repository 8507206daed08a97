import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { CollectionProblem } from '../system-collector.js'
import { DPKG_STATUS_PATH, parseDpkgStatus } from './dpkg-status.js'

// Stanzas as dpkg writes them (Debian 12), shortened.
const STATUS = `Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12986
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.

Package: openssh-server
Status: install ok installed
Architecture: amd64
Source: openssh (1:9.2p1-2+deb12u2)
Version: 1:9.2p1-2+deb12u2
Conffiles:
 /etc/default/ssh 500e3cf069fe9a7b9936108eb9d9c035
 /etc/ssh/moduli 0f4d5c3b0d7c1f1e3b2b1e1e9d1e3b2a

Package: telnetd
Status: deinstall ok config-files
Architecture: amd64
Version: 0.17+2.4-2

Package: old-tool
Status: purge ok not-installed
Architecture: amd64
`

test('reads name, version, architecture, status and source of each package', () => {
  const problems: CollectionProblem[] = []
  const packages = parseDpkgStatus(STATUS, '/var/lib/dpkg/status', problems)
  assert.deepEqual(problems, [])
  assert.deepEqual(packages, [
    {
      name: 'libc6',
      version: '2.36-9+deb12u4',
      architecture: 'amd64',
      status: 'install ok installed',
      multiArch: 'same',
      source: 'glibc',
    },
    {
      name: 'openssh-server',
      version: '1:9.2p1-2+deb12u2',
      architecture: 'amd64',
      status: 'install ok installed',
      multiArch: undefined,
      source: 'openssh (1:9.2p1-2+deb12u2)',
    },
    {
      name: 'telnetd',
      version: '0.17+2.4-2',
      architecture: 'amd64',
      status: 'deinstall ok config-files',
      multiArch: undefined,
      source: undefined,
    },
  ])
})

test('malformed lines and stanzas are problems; the other packages are still read', () => {
  const problems: CollectionProblem[] = []
  const packages = parseDpkgStatus(
    [
      'Package: good',
      'Status: install ok installed',
      'this line is not a field',
      'Architecture: all',
      'Version: 1.0',
      '',
      'Status: install ok installed',
      'Version: 2.0',
      '',
      'Package: half',
      'Status: install ok',
      '',
      'Package: versionless',
      'Status: install ok unpacked',
      'Architecture: amd64',
      '',
      'Package: Bad_Name!',
      'Status: install ok installed',
    ].join('\n'),
    '/var/lib/dpkg/status',
    problems,
  )
  assert.deepEqual(
    packages.map((p) => [p.name, p.version ?? null]),
    [
      ['good', '1.0'],
      ['versionless', null],
    ],
  )
  assert.deepEqual(
    problems.map((p) => [p.path, p.reason]),
    [
      ['/var/lib/dpkg/status:3', 'malformed'],
      ['/var/lib/dpkg/status:7', 'malformed'],
      ['/var/lib/dpkg/status:10', 'malformed'],
      ['/var/lib/dpkg/status:13', 'malformed'],
      ['/var/lib/dpkg/status:17', 'malformed'],
    ],
  )
})

test('only the packages asked for by name are read, each whole, wherever its Package line is', () => {
  const reordered = STATUS.replace(
    'Package: openssh-server\nStatus: install ok installed\n',
    'Status: install ok installed\nPackage: openssh-server\n',
  )
  const problems: CollectionProblem[] = []
  const wanted = new Set(['openssh-server', 'telnetd'])
  const found = parseDpkgStatus(reordered, '/var/lib/dpkg/status', problems, (name) =>
    wanted.has(name),
  )
  assert.deepEqual(
    found,
    parseDpkgStatus(STATUS, '/var/lib/dpkg/status', []).filter((found) => wanted.has(found.name)),
  )
  assert.deepEqual(
    found.map((found) => found.name),
    ['openssh-server', 'telnetd'],
  )
  assert.deepEqual(problems, [])
})

test('passing over stanzas keeps every wanted package and the line numbers of its problems', () => {
  // Blank lines of spaces, CRLF, a NUL line inside a stanza passed over, no final newline.
  const text = [
    'Package: skipped-a\r\nStatus: install ok installed\r\nVersion: 1\r\nArchitecture: all\r\n \t\r\n',
    'Package: kept-b\nStatus: install ok installed\nArchitecture: all\n\n',
    'Description: before the name\nPackage: skipped-c\nBad\u0000line\n continuation\n   \n',
    'Package: kept-d\nStatus: half\nVersion: 2\nArchitecture: all',
  ].join('')
  const wanted = (name: string): boolean => name.startsWith('kept-')
  const everything: CollectionProblem[] = []
  const narrowed: CollectionProblem[] = []
  const all = parseDpkgStatus(text, 'status', everything)
  assert.deepEqual(
    parseDpkgStatus(text, 'status', narrowed, wanted),
    all.filter((found) => wanted(found.name)),
  )
  // Problems of the wanted stanzas, at the same lines; those of the others are not looked for.
  assert.deepEqual(narrowed, [
    { path: 'status:6', reason: 'malformed', detail: 'package kept-b: no Version' },
    {
      path: 'status:15',
      reason: 'malformed',
      detail: 'package kept-d: Status is not "want flag state"',
    },
  ])
  assert.ok(narrowed.every((problem) => everything.some((seen) => seen.path === problem.path)))
})

test('this host: any choice of packages reads as the whole database, filtered', (t) => {
  let text: string
  try {
    text = readFileSync(DPKG_STATUS_PATH, 'utf8')
  } catch {
    return t.skip('no dpkg database here')
  }
  const all = parseDpkgStatus(text, DPKG_STATUS_PATH, [])
  for (const every of [2, 7, 50]) {
    const chosen = new Set(all.filter((_, index) => index % every === 0).map((found) => found.name))
    const wanted = (name: string): boolean => chosen.has(name)
    assert.deepEqual(
      parseDpkgStatus(text, DPKG_STATUS_PATH, [], wanted),
      all.filter((found) => wanted(found.name)),
    )
  }
})
