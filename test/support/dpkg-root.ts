// A root filesystem with dpkg's records, as apt leaves them: /var/lib/dpkg/status, and for each
// package info/<name>.list and info/<name>.md5sums beside the files it installed. Installing a
// package again is an upgrade: new files, new records, new version.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export interface FixturePackage {
  readonly name: string
  readonly version: string
  readonly architecture?: string
  /** Absolute path → content. */
  readonly files: Readonly<Record<string, string>>
}

const STATUS = 'var/lib/dpkg/status'
const INFO = 'var/lib/dpkg/info'

/** Installs (or upgrades to) the package: files, file list, md5sums and the status stanza. */
export function installDpkgPackage(root: string, pkg: FixturePackage): void {
  mkdirSync(join(root, INFO), { recursive: true })
  const directories = new Set<string>()
  for (const [path, content] of Object.entries(pkg.files)) {
    mkdirSync(join(root, dirname(path)), { recursive: true })
    writeFileSync(join(root, path), content)
    for (let dir = dirname(path); dir !== '/'; dir = dirname(dir)) directories.add(dir)
  }
  const paths = Object.keys(pkg.files)
  writeFileSync(
    join(root, INFO, `${pkg.name}.list`),
    ['/.', ...[...directories].sort(), ...paths].join('\n') + '\n',
  )
  writeFileSync(
    join(root, INFO, `${pkg.name}.md5sums`),
    paths
      .map((path) => `${md5(pkg.files[path] ?? '')}  ${path.slice(1)}`)
      .join('\n')
      .concat('\n'),
  )
  const stanza = [
    `Package: ${pkg.name}`,
    'Status: install ok installed',
    `Architecture: ${pkg.architecture ?? 'amd64'}`,
    `Version: ${pkg.version}`,
    `Description: ${pkg.name} for tests`,
  ].join('\n')
  let status = ''
  try {
    status = readFileSync(join(root, STATUS), 'utf8')
  } catch {
    // The first package makes the status file.
  }
  const others = status
    .split('\n\n')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith(`Package: ${pkg.name}\n`))
  writeFileSync(join(root, STATUS), [...others, stanza].join('\n\n') + '\n')
}

export function md5(content: string): string {
  return createHash('md5').update(content).digest('hex')
}
