// `sysctl:<key>` elements: what the configuration sets and, on a live host, what the kernel
// runs with, side by side, so a policy can tell "configured but not applied" from "never set".
import { hash } from 'node:crypto'
import picomatch from 'picomatch'
import type { AttributeValue, Element } from '../../../model/index.js'
import type { SysctlConfiguration } from './sysctl-config.js'
import { isSecretSysctl } from './volatile-sysctl-keys.js'

/**
 * Builds one element per configured key, configured glob pattern and (live) readable key. On a
 * live host a pattern also configures every key it matches that no explicit line names, as
 * systemd-sysctl does. Offline, `value` is the configured value: it is what the system will run
 * with. Secret keys show a digest of their configured value.
 *
 * @example sysctlElements(configuration, new Map([['net.ipv4.ip_forward', '0']]))
 * // [{ key: 'sysctl:net.ipv4.ip_forward', attributes: { configured: '1', source: '/etc/sysctl.conf', value: '0' } }]
 */
export function sysctlElements(
  configuration: SysctlConfiguration,
  live: ReadonlyMap<string, string> | undefined,
): Element[] {
  const elements = new Map<string, Record<string, AttributeValue>>()
  for (const [key, setting] of configuration.keys) {
    if (setting.value === null) continue
    const configured = recordable(key, setting.value)
    elements.set(key, {
      configured,
      source: setting.source,
      ...(live === undefined ? { value: configured } : {}),
    })
  }
  for (const [pattern, setting] of configuration.globs) {
    elements.set(pattern, {
      configured: recordable(pattern, setting.value),
      source: setting.source,
    })
  }
  if (live !== undefined) {
    const globs = [...configuration.globs.values()].map((setting) => ({
      ...setting,
      matches: picomatch(setting.components.join('/'), { dot: true }),
    }))
    for (const [key, value] of live) {
      const attributes = elements.get(key) ?? {}
      if (!configuration.keys.has(key)) {
        const path = key
          .split('.')
          .map((component) => component.replaceAll('/', '.'))
          .join('/')
        const glob = globs.findLast((candidate) => candidate.matches(path))
        if (glob !== undefined) {
          attributes['configured'] = recordable(key, glob.value)
          attributes['source'] = glob.source
        }
      }
      attributes['value'] = value
      elements.set(key, attributes)
    }
  }
  return [...elements]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, attributes]) => ({ key: `sysctl:${key}`, attributes }))
}

/**
 * A secret's value as a digest: enough to see that it changed, nothing to recover it from (it is
 * random, 128 bits).
 */
function recordable(key: string, value: string): string {
  return isSecretSysctl(key) ? `sha256:${hash('sha256', value)}` : value
}
