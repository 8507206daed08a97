// Finds the unit files of some types in systemd's unit directories, and every link in their
// .wants/, .requires/ and .upholds/ directories: what enablement is made of.
import { posix } from 'node:path'
import type { Target } from '../../../target/index.js'
import type { CollectionProblem } from '../system-collector.js'
import { unitDirectories, type UnitScope } from './unit-directories.js'

/** The winning entry for a unit name: the first unit directory that has it. */
export interface UnitEntry {
  readonly name: string
  /** The entry in the unit directory (a file, or a link). */
  readonly path: string
  readonly scope: UnitScope
  readonly content: UnitContent
}

/**
 * What an entry is, by systemd's rules (unit_file_resolve_symlink), which look at a link's text
 * and do not follow it: a link into a unit directory is an alias, resolved by the unit name it
 * points at; a link anywhere else is a linked unit file (or, to /dev/null, a mask).
 */
export type UnitContent =
  | { readonly kind: 'file' }
  | { readonly kind: 'alias'; readonly target: string }
  /** `path`: the file it leads to, links followed inside the root; undefined when dangling. */
  | { readonly kind: 'linked'; readonly path: string | undefined }

export type LinkRelation = 'wants' | 'requires' | 'upholds' | 'alias'

/** A symlink that enables a unit: in a `<owner>.wants/` directory, or an alias name. */
export interface UnitLink {
  readonly name: string
  /** Base name of what the link points at. */
  readonly destination: string
  /** The unit whose .wants/ (.requires/, .upholds/) directory holds the link. */
  readonly owner: string | undefined
  readonly relation: LinkRelation
  readonly scope: UnitScope
}

export interface UnitCatalog {
  /** The winning entry of each unit name, sorted by name. */
  readonly units: ReadonlyMap<string, UnitEntry>
  readonly links: readonly UnitLink[]
}

const LINK_DIRECTORY = /^(.+)\.(wants|requires|upholds)$/
const MAX_LINK_HOPS = 16

/**
 * Reads the unit directories of a Target for units whose names end with one of `suffixes`.
 *
 * @example readUnitCatalog(target, ['.service'], problems).units.get('ssh.service')?.path
 */
export function readUnitCatalog(
  target: Target,
  suffixes: readonly string[],
  problems: CollectionProblem[],
): UnitCatalog {
  const units = new Map<string, UnitEntry>()
  const links: UnitLink[] = []
  for (const { path: directory, scope } of unitDirectories(target.live)) {
    const names = guarded(problems, directory, () => target.listDirectory(directory))
    for (const name of names ?? []) {
      const path = `${directory}/${name}`
      const linkDirectory = LINK_DIRECTORY.exec(name)
      if (linkDirectory !== null) {
        const [, owner, relation] = linkDirectory as unknown as [string, string, LinkRelation]
        links.push(...readLinkDirectory(target, path, owner, relation, scope, problems))
        continue
      }
      if (!suffixes.some((suffix) => name.endsWith(suffix) && name.length > suffix.length)) {
        continue
      }
      const entry = guarded(problems, path, () => readUnitEntry(target, path, name, scope))
      if (entry === undefined) continue
      if (entry.content.kind === 'alias' && entry.content.target !== name) {
        const destination = entry.content.target
        links.push({ name, destination, owner: undefined, relation: 'alias', scope })
      }
      // An earlier directory wins; later links still count, as they do for systemd.
      if (!units.has(name)) units.set(name, entry)
    }
  }
  const sorted = [...units.entries()].sort(([a], [b]) => (a < b ? -1 : 1))
  return { units: new Map(sorted), links }
}

function readUnitEntry(
  target: Target,
  path: string,
  name: string,
  scope: UnitScope,
): UnitEntry | undefined {
  const type = target.entryType(path)
  if (type === 'file') return { name, path, scope, content: { kind: 'file' } }
  // A directory or a device named like a unit is not one; systemd ignores it too.
  if (type !== 'symlink') return undefined
  const link = target.readLink(path)
  // Replaced or removed since it was listed: nothing to report about it.
  if (link === undefined) return undefined
  const destination = posix.normalize(
    link.startsWith('/') ? link : `${posix.dirname(path)}/${link}`,
  )
  const inUnitDirectory = unitDirectories(true).some((directory) =>
    destination.startsWith(`${directory.path}/`),
  )
  if (inUnitDirectory) {
    return { name, path, scope, content: { kind: 'alias', target: posix.basename(destination) } }
  }
  return { name, path, scope, content: { kind: 'linked', path: followLinks(target, path) } }
}

/** Follows a chain of links inside the Target; stops at /dev/null, which images may lack. */
function followLinks(target: Target, path: string): string | undefined {
  let current = path
  for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
    if (current === '/dev/null') return current
    const link = target.readLink(current)
    if (link === undefined) return target.entryType(current) === undefined ? undefined : current
    current = posix.normalize(link.startsWith('/') ? link : `${posix.dirname(current)}/${link}`)
  }
  throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' })
}

function readLinkDirectory(
  target: Target,
  directory: string,
  owner: string,
  relation: LinkRelation,
  scope: UnitScope,
  problems: CollectionProblem[],
): UnitLink[] {
  const found: UnitLink[] = []
  for (const name of guarded(problems, directory, () => target.listDirectory(directory)) ?? []) {
    const link = guarded(problems, `${directory}/${name}`, () =>
      target.readLink(`${directory}/${name}`),
    )
    // Only links enable; systemd skips anything else in these directories.
    if (link === undefined) continue
    found.push({ name, destination: posix.basename(link), owner, relation, scope })
  }
  return found
}

/** Runs one read; an error (permission denied, a link loop) becomes a problem for that path. */
function guarded<T>(
  problems: CollectionProblem[],
  path: string,
  read: () => T | undefined,
): T | undefined {
  try {
    return read()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    problems.push({ path, reason: 'unreadable', detail: code ?? (error as Error).message })
    return undefined
  }
}
