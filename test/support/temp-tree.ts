// Throwaway directories for tests, removed when the test ends.
import { lstatSync, lutimesSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
