// Reading included files through ConfigFiles, which the evaluator implements over a snapshot: a
// failure there becomes "not available" to the parser, never an exception out of it.
import type { ConfigFiles } from './config-parser.js'

/**
 * The content of a file, or undefined when the snapshot does not have it (or cannot tell).
 *
 * @example readIncludedFile(files, '/etc/pam.d/common-auth')
 */
export function readIncludedFile(files: ConfigFiles, path: string): string | undefined {
  try {
    return files.read(path)
  } catch {
    return undefined
  }
}

/**
 * The paths matching a glob, sorted by code unit as glob(3) sorts them in the C locale, or
 * undefined when the snapshot's files could not be listed.
 *
 * @example listIncludedFiles(files, '/etc/ssh/sshd_config.d/*.conf') // ['/etc/ssh/sshd_config.d/50-cloud-init.conf']
 */
export function listIncludedFiles(files: ConfigFiles, glob: string): string[] | undefined {
  try {
    return [...files.list(glob)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  } catch {
    return undefined
  }
}
