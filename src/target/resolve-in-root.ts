// Resolves a path the way the system inside a root directory would (as chroot does): absolute
// symlinks start again at the root and `..` stops at it, so nothing outside the root is reached.
import { lstatSync, readlinkSync } from 'node:fs'
import { fsPath } from '../model/index.js'

const MAX_SYMLINK_HOPS = 40

/**
 * Returns the raw system path (symlinks resolved) that `rawSystemPath` names inside `rawRoot`, or
 * undefined if a component does not exist. Throws ELOOP-like errors on symlink loops.
 *
 * @example resolveInRoot('/srv/img', '/etc/localtime') // '/usr/share/zoneinfo/Etc/UTC'
 */
export function resolveInRoot(rawRoot: string, rawSystemPath: string): string | undefined {
  const prefix = rawRoot === '/' ? '' : rawRoot.replace(/\/+$/, '')
  let remaining = splitComponents(rawSystemPath)
  const resolved: string[] = []
  let hops = 0
  while (remaining.length > 0) {
    const component = remaining.shift() as string
    if (component === '.') continue
    if (component === '..') {
      resolved.pop()
      continue
    }
    const candidate = `/${[...resolved, component].join('/')}`
    let isSymlink: boolean
    try {
      isSymlink = lstatSync(fsPath(prefix + candidate)).isSymbolicLink()
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
    if (!isSymlink) {
      resolved.push(component)
      continue
    }
    hops += 1
    if (hops > MAX_SYMLINK_HOPS) {
      throw Object.assign(new Error(`too many levels of symbolic links at ${candidate}`), {
        code: 'ELOOP',
      })
    }
    const link = readlinkSync(fsPath(prefix + candidate), 'latin1')
    if (link.startsWith('/')) resolved.length = 0
    remaining = [...splitComponents(link), ...remaining]
  }
  return `/${resolved.join('/')}`
}

function splitComponents(path: string): string[] {
  return path.split('/').filter((part) => part.length > 0)
}

export function isNotFound(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}
