// The installed units of some types, each with its enablement state and parsed unit file: what
// the services collector and the timers of the scheduled collector are built from.
import { posix } from 'node:path'
import type { Target } from '../../../target/index.js'
import { readConfigText } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { readUnitCatalog, type UnitEntry } from './unit-catalog.js'
import { parseUnitFile, settingValues, settingWords, type UnitFile } from './unit-file.js'
import {
  isInstanceName,
  linkOwners,
  linksOfUnit,
  unitFileState,
  type UnitEntryKind,
  type UnitFileState,
} from './unit-state.js'

/** No unit file is this big; a larger one is reported, not parsed. */
const MAX_UNIT_FILE_BYTES = 1024 * 1024

export interface InstalledUnit {
  /** The unit name, `ssh.service`. */
  readonly name: string
  /** The entry that wins in the unit directories (a file, or a link). */
  readonly path: string
  /** Undefined when the unit file could not be read (a problem says why). */
  readonly state: UnitFileState | undefined
  readonly wantedBy: readonly string[]
  readonly requiredBy: readonly string[]
  /** For an alias: the unit it stands for (aliases of aliases followed). */
  readonly aliasOf?: string
  /** The parsed unit file, for units that have one (not masked units or aliases). */
  readonly file?: UnitFile
}

/**
 * Reads the units whose names end with one of `suffixes`, sorted by name; of those, only the
 * ones `wanted` accepts. A unit's state depends on its own file and on the links and aliases
 * around it, never on another unit's file: the whole catalogue is read, and only the wanted
 * units' files.
 *
 * @example readInstalledUnits(target, ['.timer'], problems).map((u) => u.name)
 *   // ['apt-daily.timer', 'e2scrub_all.timer', …]
 */
export function readInstalledUnits(
  target: Target,
  suffixes: readonly string[],
  problems: CollectionProblem[],
  wanted: (name: string) => boolean = () => true,
): InstalledUnit[] {
  const catalog = readUnitCatalog(target, suffixes, problems)
  const installed: InstalledUnit[] = []
  for (const entry of catalog.units.values()) {
    if (!wanted(entry.name)) continue
    const read = readEntry(target, entry, catalog.units, problems)
    if (read === undefined) continue
    const ownLinks = linksOfUnit(entry.name, catalog.links)
    const found = {
      name: entry.name,
      path: entry.path,
      wantedBy: linkOwners(ownLinks, 'wants'),
      requiredBy: linkOwners(ownLinks, 'requires'),
    }
    if (read === 'unreadable') {
      installed.push({ ...found, state: undefined })
      continue
    }
    const { kind, file } = read
    installed.push({
      ...found,
      state: unitFileState(entry.name, entry.scope, kind, ownLinks),
      ...(kind.kind === 'alias' ? { aliasOf: kind.aliasOf } : {}),
      ...(file === undefined ? {} : { file }),
    })
  }
  return installed
}

function readEntry(
  target: Target,
  entry: UnitEntry,
  units: ReadonlyMap<string, UnitEntry>,
  problems: CollectionProblem[],
): { kind: UnitEntryKind; file?: UnitFile } | 'unreadable' | undefined {
  const { name, path, content } = entry
  if (content.kind === 'alias') {
    const aliasOf = resolveAlias(name, units)
    if (aliasOf !== undefined) return { kind: { kind: 'alias', aliasOf } }
    problems.push({
      path,
      reason: 'unreadable',
      detail: 'alias of a unit that does not exist, of itself, or in a loop',
    })
    return { kind: { kind: 'dangling' } }
  }
  if (content.kind === 'linked') {
    if (content.path === undefined) {
      problems.push({
        path,
        reason: 'unreadable',
        detail: 'link to a unit file that does not exist',
      })
      return { kind: { kind: 'dangling' } }
    }
    if (content.path === '/dev/null') return { kind: { kind: 'masked' } }
    const destination = posix.basename(content.path)
    // A linked file under another name is an alias of that name; an instance name linked to
    // its template is not (systemd).
    if (destination !== name && !isInstanceName(name)) {
      return { kind: { kind: 'alias', aliasOf: destination } }
    }
  }
  const before = problems.length
  const text = readConfigText(target, path, problems, MAX_UNIT_FILE_BYTES)
  if (text === undefined) return problems.length > before ? 'unreadable' : undefined
  // An empty unit file masks, like a link to /dev/null.
  if (text.length === 0) return { kind: { kind: 'masked' } }
  const file = parseUnitFile(text, path, problems)
  const rules = ['WantedBy', 'RequiredBy', 'UpheldBy', 'Alias']
  const install = {
    hasRules: rules.some((key) => settingWords(file, 'Install', key).length > 0),
    hasAlso: settingWords(file, 'Install', 'Also').length > 0,
    aliases: settingWords(file, 'Install', 'Alias'),
    defaultInstance: settingValues(file, 'Install', 'DefaultInstance').at(-1),
  }
  return { kind: { kind: 'file', viaLink: content.kind === 'linked', install }, file }
}

/**
 * The unit an alias stands for: its target names followed through the catalogue (an alias of
 * an alias …) to a unit that has content. Undefined for a name that is not there, a link to
 * itself or a loop, which systemctl shows as `bad`.
 */
function resolveAlias(name: string, units: ReadonlyMap<string, UnitEntry>): string | undefined {
  const seen = new Set([name])
  let current = units.get(name)
  while (current?.content.kind === 'alias') {
    const next = current.content.target
    if (seen.has(next)) return undefined
    seen.add(next)
    current = units.get(next)
  }
  return current?.name
}
