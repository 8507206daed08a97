// What `systemctl is-enabled` says about a unit file, decided from the files alone, the way
// systemd's unit_file_lookup_state does it (src/shared/install.c), minus generated and
// transient units, which live only under /run and are not configuration.
import type { UnitLink } from './unit-catalog.js'
import type { UnitScope } from './unit-directories.js'

export type UnitFileState =
  | 'enabled'
  | 'enabled-runtime'
  | 'linked'
  | 'linked-runtime'
  | 'alias'
  | 'masked'
  | 'masked-runtime'
  | 'static'
  | 'indirect'
  | 'disabled'
  | 'bad'

/** What the winning entry for a unit name is. */
export type UnitEntryKind =
  /** A regular file, or a link to a file of the same name (a "linked" unit). */
  | { readonly kind: 'file'; readonly viaLink: boolean; readonly install: InstallRules }
  /** A link to a unit file of another name. */
  | { readonly kind: 'alias'; readonly aliasOf: string }
  /** A link to /dev/null, or an empty file. */
  | { readonly kind: 'masked' }
  /** A link to nothing. */
  | { readonly kind: 'dangling' }

/** What the [Install] section asks for. */
export interface InstallRules {
  /** WantedBy=, RequiredBy=, UpheldBy= or Alias= name something. */
  readonly hasRules: boolean
  /** Also= names something. */
  readonly hasAlso: boolean
  /** The Alias= names. */
  readonly aliases: readonly string[]
  /** DefaultInstance= of a template (`tty1` for getty@.service). */
  readonly defaultInstance: string | undefined
}

/**
 * The links that lead to the unit `name`: they carry its name, are an instance of it (for a
 * template), or point at a file of that name. Their owners are what `wantedBy` lists.
 *
 * @example linksOfUnit('getty@.service', catalog.links).map((l) => l.owner) // ['getty.target']
 */
export function linksOfUnit(name: string, links: readonly UnitLink[]): UnitLink[] {
  return links.filter((link) => link.destination === name || countsFor(link, name))
}

/**
 * Whether systemctl counts a link for the unit `name` (install.c, find_symlinks_in_directory):
 * in a .wants/ (.requires/, .upholds/) directory only the link's name matters — the unit's own
 * name or an instance of it — never where it points; in the unit directory itself, an alias
 * counts for the unit it points at.
 */
function countsFor(link: UnitLink, name: string): boolean {
  if (link.relation === 'alias') return link.destination === name
  return link.name === name || templateOf(link.name) === name
}

/**
 * The units whose `.wants/` (or `.requires/`) directories hold these links, sorted, each once.
 *
 * @example linkOwners(linksOfUnit('ssh.service', links), 'wants') // ['multi-user.target']
 */
export function linkOwners(links: readonly UnitLink[], relation: 'wants' | 'requires'): string[] {
  const owners = new Set<string>()
  for (const link of links) {
    if (link.relation === relation && link.owner !== undefined) owners.add(link.owner)
  }
  return [...owners].sort()
}

/**
 * Decides a unit file's state from where its winning entry is, what it is, and the links that
 * lead to it ({@link linksOfUnit}). As in systemd, a link enables the unit only under a name
 * `systemctl enable` would create: the unit's own, an Alias=, or the DefaultInstance= instance of
 * a template. Other instances, and aliases it does not declare, in /etc or /run make it
 * `indirect`. A .wants/ link is matched by its name only, as systemctl does.
 *
 * @example
 * const install = { hasRules: true, hasAlso: false, aliases: [], defaultInstance: undefined }
 * const link = { name: 'ssh.service', destination: 'ssh.service', owner: 'multi-user.target',
 *   relation: 'wants', scope: 'config' }
 * unitFileState('ssh.service', 'vendor', { kind: 'file', viaLink: false, install }, [link])
 * // 'enabled'
 */
export function unitFileState(
  name: string,
  scope: UnitScope,
  entry: UnitEntryKind,
  ownLinks: readonly UnitLink[],
): UnitFileState {
  if (entry.kind === 'dangling') return 'bad'
  if (entry.kind === 'masked') return scope === 'runtime' ? 'masked-runtime' : 'masked'
  if (entry.kind === 'alias') return 'alias'
  const { install } = entry
  const instance =
    install.defaultInstance === undefined ? undefined : instanceOf(name, install.defaultInstance)
  const counted = ownLinks.filter((link) => countsFor(link, name))
  const known = counted.filter(
    (link) => link.name === name || link.name === instance || install.aliases.includes(link.name),
  )
  // Links in the administrator's directory enable; links that packages ship in /usr do not
  // (systemctl calls such a unit static or disabled, by its [Install] section).
  if (known.some((link) => link.scope === 'config')) return 'enabled'
  if (known.some((link) => link.scope === 'runtime')) return 'enabled-runtime'
  if (entry.viaLink && scope === 'config') return 'linked'
  if (entry.viaLink && scope === 'runtime') return 'linked-runtime'
  if (counted.some((link) => link.scope !== 'vendor')) return 'indirect'
  if (install.hasRules) return 'disabled'
  if (install.hasAlso) return 'indirect'
  return 'static'
}

/** `getty@tty1.service` from `getty@.service` and `tty1`; undefined unless a template. */
function instanceOf(template: string, instance: string): string | undefined {
  const at = template.indexOf('@.')
  if (at === -1 || instance === '') return undefined
  return `${template.slice(0, at + 1)}${instance}${template.slice(at + 1)}`
}

/** Whether `name` names an instance of a template: `getty@tty1.service`, not `getty@.service`. */
export function isInstanceName(name: string): boolean {
  return templateOf(name) !== undefined
}

/** The template of an instance name: `getty@.service` for `getty@tty1.service`. */
function templateOf(name: string): string | undefined {
  const at = name.indexOf('@')
  const dot = name.lastIndexOf('.')
  if (at <= 0 || dot <= at + 1) return undefined
  return `${name.slice(0, at + 1)}${name.slice(dot)}`
}
