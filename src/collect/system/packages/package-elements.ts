// Turns packages from any package manager into `package:` elements with stable, unique keys.
import type { AttributeValue, Element } from '../../../model/index.js'
import type { CollectionProblem } from '../system-collector.js'

export interface InstalledPackage {
  readonly manager: 'dpkg' | 'rpm'
  readonly name: string
  readonly version: string | undefined
  readonly architecture: string | undefined
  /** dpkg: `install ok installed` …; rpm: `installed`. */
  readonly status: string
  readonly source: string | undefined
}

/**
 * One element per package, sorted by key. The key is `package:<name>` when the name is installed
 * once, `package:<name>:<arch>` when it is installed for several architectures (libc6 for amd64
 * and i386), and `package:<name>:<arch>:<version>` when the same name and architecture are
 * installed more than once (rpm's kernels, gpg-pubkey). A missing architecture shows as `(none)`,
 * as rpm prints it.
 *
 * @example
 * packageElements([{ manager: 'rpm', name: 'bash', version: '5.1.8-9.el9',
 *   architecture: 'x86_64', status: 'installed', source: undefined }], [])
 * // [{ key: 'package:bash', attributes: { manager: 'rpm', version: '5.1.8-9.el9',
 * //    architecture: 'x86_64', status: 'installed' } }]
 */
export function packageElements(
  packages: readonly InstalledPackage[],
  problems: CollectionProblem[],
): Element[] {
  const byName = new Map<string, InstalledPackage[]>()
  for (const installed of packages) {
    const group = byName.get(installed.name)
    if (group === undefined) byName.set(installed.name, [installed])
    else group.push(installed)
  }
  const elements = new Map<string, Element>()
  for (const [name, group] of byName) {
    const arch = (p: InstalledPackage): string => p.architecture ?? '(none)'
    const perArch = new Map<string, number>()
    for (const installed of group)
      perArch.set(arch(installed), (perArch.get(arch(installed)) ?? 0) + 1)
    for (const installed of group) {
      const key =
        group.length === 1
          ? `package:${name}`
          : perArch.get(arch(installed)) === 1
            ? `package:${name}:${arch(installed)}`
            : `package:${name}:${arch(installed)}:${installed.version ?? ''}`
      if (elements.has(key)) {
        problems.push({
          path: key,
          reason: 'malformed',
          detail: `the ${installed.manager} database lists this package twice; the first is kept`,
        })
        continue
      }
      elements.set(key, { key, attributes: packageAttributes(installed) })
    }
  }
  return [...elements.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

function packageAttributes(installed: InstalledPackage): Record<string, AttributeValue> {
  return {
    manager: installed.manager,
    version: installed.version ?? null,
    architecture: installed.architecture ?? null,
    status: installed.status,
    ...(installed.source === undefined ? {} : { source: installed.source }),
  }
}
