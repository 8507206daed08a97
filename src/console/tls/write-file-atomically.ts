// Writes a file so that a reader, or the next start after a crash, sees either the old content or
// the new content in full, never a truncated key.
import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Writes `content` to a temporary file beside `path` with the given mode, flushes it to disk and
 * renames it over `path`.
 *
 * @example
 * await writeFileAtomically('/var/lib/driftwatch/tls/server.key', pem, 0o600)
 */
export async function writeFileAtomically(
  path: string,
  content: string,
  mode: number,
): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    // 'wx' with the final mode: the key is never readable by others, not even for a moment.
    const file = await open(temporary, 'wx', mode)
    try {
      await file.writeFile(content)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temporary, path)
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}
