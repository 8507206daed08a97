// Throwaway directories for tests, removed when the test ends.
import {
  lstatSync,
  lutimesSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { TestContext } from 'node:test'

export function tempDir(t: TestContext, prefix = 'dw-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Sets every entry's atime and mtime to one fixed instant, children before their directory. */
export function freezeTimes(path: Buffer | string, when = new Date('2024-01-02T03:04:05Z')): void {
  const stat = lstatSync(path)
  if (stat.isDirectory()) {
    for (const name of readdirSync(path, { encoding: 'buffer' })) {
      freezeTimes(Buffer.concat([Buffer.from(path), Buffer.from('/'), name]), when)
    }
  }
  lutimesSync(path, when, when)
}

/**
 * A fresh root directory holding the given files (string content) and symlinks (`{ link }`),
 * keyed by their path inside the root.
 *
 * @example plantRoot(t, { '/etc/hostname': 'web-01\n', '/etc/localtime': { link: '/usr/share/zoneinfo/UTC' } })
 */
export function plantRoot(
  t: TestContext,
  entries: Record<string, string | { link: string }>,
  prefix = 'dw-root-',
): string {
  const root = tempDir(t, prefix)
  for (const [path, entry] of Object.entries(entries)) {
    const hostPath = join(root, path)
    mkdirSync(dirname(hostPath), { recursive: true })
    if (typeof entry === 'string') writeFileSync(hostPath, entry)
    else symlinkSync(entry.link, hostPath)
  }
  return root
}
