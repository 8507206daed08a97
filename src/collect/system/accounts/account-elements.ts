// `user:` and `group:` elements from the parsed account files.
import type { AttributeValue, Element } from '../../../model/index.js'
import type { GroupEntry } from './group-file.js'
import type { PasswdEntry } from './passwd-file.js'
import { isoDateFromDays, type ShadowEntry } from './shadow-file.js'

export interface AccountFiles {
  readonly passwd: readonly PasswdEntry[]
  /** Entries by name; empty when there is no /etc/shadow, undefined when it could not be read. */
  readonly shadow: ReadonlyMap<string, ShadowEntry> | undefined
  readonly groups: readonly GroupEntry[]
  /**
   * Administrators by group name from /etc/gshadow; `absent` when there is no such file,
   * undefined when it could not be read.
   */
  readonly gshadowAdmins: ReadonlyMap<string, readonly string[]> | 'absent' | undefined
}

/** Attributes that come from /etc/shadow: unverified when it could not be read. */
const SHADOW_ATTRIBUTES = [
  'lastChange',
  'mustChange',
  'minAge',
  'maxAge',
  'warnDays',
  'inactiveDays',
  'expires',
] as const

/**
 * One `user:<name>` element per passwd entry. The password is described by its state only.
 *
 * @example userElements(files)[0] // { key: 'user:root', attributes: { uid: 0, … } }
 */
export function userElements(files: AccountFiles): Element[] {
  const groupNames = new Map<number, string>()
  for (const group of files.groups)
    if (!groupNames.has(group.gid)) groupNames.set(group.gid, group.name)
  const supplementary = new Map<string, string[]>()
  for (const group of files.groups) {
    for (const member of group.members) {
      const list = supplementary.get(member) ?? []
      if (!list.includes(group.name)) list.push(group.name)
      supplementary.set(member, list)
    }
  }
  return files.passwd.map((entry) => {
    const attributes: Record<string, AttributeValue> = { uid: entry.uid, gid: entry.gid }
    const group = groupNames.get(entry.gid)
    if (group !== undefined) attributes['group'] = group
    attributes['home'] = entry.home
    attributes['shell'] = entry.shell
    attributes['gecos'] = entry.gecos
    const unverified: string[] = []
    const shadow = files.shadow?.get(entry.name)
    if (entry.password !== 'shadow') attributes['password'] = entry.password
    else if (files.shadow === undefined) unverified.push('password')
    else attributes['password'] = shadow?.password ?? 'none'
    if (files.shadow === undefined) unverified.push(...SHADOW_ATTRIBUTES)
    else if (shadow !== undefined) Object.assign(attributes, agingAttributes(shadow))
    attributes['groups'] = [...(supplementary.get(entry.name) ?? [])].sort().join(',')
    return {
      key: `user:${entry.name}`,
      attributes,
      ...(unverified.length === 0 ? {} : { unverified }),
    }
  })
}

function agingAttributes(shadow: ShadowEntry): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {}
  // Day 0 is not a date: shadow(5) uses it to force a change at the next login.
  if (shadow.lastChange === 0) attributes['mustChange'] = true
  else if (shadow.lastChange !== undefined) {
    attributes['lastChange'] = isoDateFromDays(shadow.lastChange)
  }
  if (shadow.minAge !== undefined) attributes['minAge'] = shadow.minAge
  if (shadow.maxAge !== undefined) attributes['maxAge'] = shadow.maxAge
  if (shadow.warnDays !== undefined) attributes['warnDays'] = shadow.warnDays
  if (shadow.inactiveDays !== undefined) attributes['inactiveDays'] = shadow.inactiveDays
  if (shadow.expires !== undefined) attributes['expires'] = isoDateFromDays(shadow.expires)
  return attributes
}

/**
 * One `group:<name>` element per group entry: gid, members and, where /etc/gshadow exists, its
 * administrators.
 *
 * @example groupElements(files)[0] // { key: 'group:sudo', attributes: { gid: 27, … } }
 */
export function groupElements(files: AccountFiles): Element[] {
  return files.groups.map((group) => {
    const attributes: Record<string, AttributeValue> = {
      gid: group.gid,
      members: [...group.members].sort().join(','),
    }
    const admins = files.gshadowAdmins
    if (admins !== undefined && admins !== 'absent')
      attributes['admins'] = [...(admins.get(group.name) ?? [])].sort().join(',')
    return {
      key: `group:${group.name}`,
      attributes,
      ...(admins === undefined ? { unverified: ['admins'] } : {}),
    }
  })
}
