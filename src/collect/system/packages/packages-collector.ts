// The packages collector: what dpkg and rpm say is installed. Both databases are read when both
// exist (a Debian host with rpm installed, an alien-converted package).
import type { Target } from '../../../target/index.js'
import { readConfigText } from '../config-text.js'
import type { CollectionProblem, CollectorContext, SystemCollector } from '../system-collector.js'
import { DPKG_STATUS_PATH, parseDpkgStatus } from './dpkg-status.js'
import { packageElements, type InstalledPackage } from './package-elements.js'
import { readRpmDatabase } from './rpm-database.js'
import { rpmPackage } from './rpm-package.js'

/**
 * Collects `package:` elements.
 *
 * @example
 * const { elements, problems } = packagesCollector.collect({
 *   target: openTarget({}),
 *   commands: new LocalCommandRunner(),
 * })
 */
export const packagesCollector: SystemCollector = {
  name: 'packages',
  collect({ target, selection }: CollectorContext) {
    const problems: CollectionProblem[] = []
    // Keys are `package:NAME` or `package:NAME:…`: a name is wanted when such a key may be.
    const wanted = (name: string): boolean => selection?.wantsAny(`package:${name}`) ?? true
    const packages = [...dpkgPackages(target, problems, wanted), ...rpmPackages(target, problems)]
    return { elements: packageElements(packages, problems), problems }
  },
}

function dpkgPackages(
  target: Target,
  problems: CollectionProblem[],
  wanted: (name: string) => boolean,
): InstalledPackage[] {
  const text = readConfigText(target, DPKG_STATUS_PATH, problems)
  if (text === undefined) return []
  return parseDpkgStatus(text, DPKG_STATUS_PATH, problems, wanted).map((found) => ({
    manager: 'dpkg',
    name: found.name,
    version: found.version,
    architecture: found.architecture,
    status: found.status,
    source: found.source,
  }))
}

function rpmPackages(target: Target, problems: CollectionProblem[]): InstalledPackage[] {
  const database = readRpmDatabase(target, problems)
  const packages: InstalledPackage[] = []
  for (const { hnum, header } of database?.records ?? []) {
    try {
      const found = rpmPackage(header)
      packages.push({ manager: 'rpm', ...found, status: 'installed' })
    } catch (error) {
      problems.push({
        path: `${database?.path ?? ''}#${hnum}`,
        reason: 'malformed',
        detail: `rpm header: ${(error as Error).message}`,
      })
    }
  }
  return packages
}
