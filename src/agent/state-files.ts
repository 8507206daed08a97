// The agent's state directory: credential, acknowledged state, spool. Everything in it is written
// atomically (a temporary file, fsync, rename) and readable by its owner only: a crash leaves
// either the old file or the new one, and the credential never sits in a world-readable file.
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { DriftwatchError } from '../errors/index.js'

/** Marks temporary files: what a crash leaves behind with it is removed at the next start. */
const TEMP_MARK = '.tmp-'

/**
 * Creates a directory (and its parents) readable by its owner only, and tightens one that exists.
 *
 * @example ensurePrivateDirectory('/var/lib/driftwatch/agent')
 */
export function ensurePrivateDirectory(path: string): void {
  try {
    mkdirSync(path, { recursive: true, mode: 0o700 })
    chmodSync(path, 0o700)
  } catch (error) {
    throw new DriftwatchError('DW_ERR_IO', `cannot create ${path}: ${(error as Error).message}`)
  }
}

/**
 * Writes a file atomically with mode 0600: a reader sees the old content or the new, never a part.
 *
 * @example writeFileAtomically('/var/lib/driftwatch/agent/acknowledged.json', '{"sequence":3}')
 */
export function writeFileAtomically(path: string, text: string): void {
  const temporary = `${path}${TEMP_MARK}${randomBytes(6).toString('hex')}`
  try {
    const fd = openSync(temporary, 'wx', 0o600)
    try {
      writeSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temporary, path)
    syncDirectory(dirname(path))
  } catch (error) {
    rmSync(temporary, { force: true })
    throw new DriftwatchError('DW_ERR_IO', `cannot write ${path}: ${(error as Error).message}`)
  }
}

/** Makes a rename durable: without this, a power cut can undo it on some filesystems. */
function syncDirectory(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Reads a JSON file written by {@link writeFileAtomically}; undefined when it does not exist.
 *
 * @example readJsonFile('/var/lib/driftwatch/agent/credential.json')
 */
export function readJsonFile(path: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new DriftwatchError('DW_ERR_IO', `cannot read ${path}: ${(error as Error).message}`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new DriftwatchError('DW_ERR_IO', `${path} is not valid JSON: ${(error as Error).message}`)
  }
}

/**
 * Removes the temporary files an interrupted write left in a directory.
 *
 * @example removeInterruptedWrites('/var/lib/driftwatch/agent/spool')
 */
export function removeInterruptedWrites(directory: string): void {
  for (const name of readdirSync(directory)) {
    if (name.includes(TEMP_MARK)) rmSync(join(directory, name), { force: true })
  }
}
