// The OS collector: which operating system a Target holds (os-release) and its host name.
import type { AttributeValue, Element } from '../../../model/index.js'
import type { Target } from '../../../target/index.js'
import { readConfigText } from '../config-text.js'
import type { CollectionProblem, CollectorContext, SystemCollector } from '../system-collector.js'
import { parseHostname } from './hostname.js'
import { parseOsRelease } from './os-release.js'

/** Where os-release(5) says to look: /etc first, then the vendor copy. */
const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release']
/** These files are a few hundred bytes; anything near this is not one. */
const MAX_OS_FILE_BYTES = 64 * 1024

/** os-release variables recorded, by attribute name. */
const RELEASE_ATTRIBUTES = {
  id: 'ID',
  idLike: 'ID_LIKE',
  name: 'NAME',
  prettyName: 'PRETTY_NAME',
  versionCodename: 'VERSION_CODENAME',
  versionId: 'VERSION_ID',
} as const

/**
 * Collects `os:release` and `os:hostname`.
 *
 * @example
 * const { elements, problems } = osCollector.collect({
 *   target: openTarget({}),
 *   commands: new LocalCommandRunner(),
 * })
 */
export const osCollector: SystemCollector = {
  name: 'os',
  collect({ target }: CollectorContext) {
    const problems: CollectionProblem[] = []
    const elements: Element[] = []
    const release = readOsRelease(target, problems)
    if (release !== undefined) elements.push(release)
    const text = readConfigText(target, '/etc/hostname', problems, MAX_OS_FILE_BYTES)
    const hostname = text === undefined ? undefined : parseHostname(text, '/etc/hostname', problems)
    if (hostname !== undefined) elements.push({ key: 'os:hostname', attributes: { hostname } })
    return { elements, problems }
  },
}

function readOsRelease(target: Target, problems: CollectionProblem[]): Element | undefined {
  for (const path of OS_RELEASE_PATHS) {
    const before = problems.length
    const text = readConfigText(target, path, problems, MAX_OS_FILE_BYTES)
    // An unreadable /etc/os-release is reported, not silently replaced by the vendor copy.
    if (problems.length > before) return undefined
    if (text === undefined) continue
    const variables = parseOsRelease(text, path, problems)
    const attributes: Record<string, AttributeValue> = {}
    for (const [attribute, variable] of Object.entries(RELEASE_ATTRIBUTES)) {
      attributes[attribute] = variables.get(variable) ?? null
    }
    attributes['path'] = path
    return { key: 'os:release', attributes }
  }
  // A tree with no /etc is no operating system (a data folder, an application tree): nothing
  // to report. A system without os-release is worth a line.
  if (target.entryType('/etc') === undefined) return undefined
  problems.push({
    path: OS_RELEASE_PATHS.join(' or '),
    reason: 'unavailable',
    detail: 'no os-release file: the operating system is not known',
  })
  return undefined
}
