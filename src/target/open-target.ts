// Chooses the Target for a command: the live host, or the root filesystem in `--root DIR`.
import { realpathSync, statSync } from 'node:fs'
import { DriftwatchError } from '../errors/index.js'
import { DirectoryTarget } from './directory-target.js'
import type { Target } from './target.js'

/**
 * @example openTarget({})                       // the live host
 * @example openTarget({ root: '/srv/img/web' }) // a root filesystem in a directory
 */
export function openTarget(options: { root?: string | undefined }): Target {
  if (options.root === undefined) {
    return new DirectoryTarget('/', { live: true, description: 'live host' })
  }
  let realRoot: string
  try {
    realRoot = realpathSync(options.root)
    if (!statSync(realRoot).isDirectory()) throw new Error('not a directory')
  } catch (error) {
    throw new DriftwatchError(
      'DW_ERR_ROOT_NOT_FOUND',
      `--root ${options.root}: ${(error as Error).message}`,
    )
  }
  if (realRoot === '/') return new DirectoryTarget('/', { live: true, description: 'live host' })
  return new DirectoryTarget(Buffer.from(realRoot, 'utf8').toString('latin1'), {
    live: false,
    description: `root filesystem in ${realRoot}`,
  })
}
