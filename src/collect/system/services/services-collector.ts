// The services collector: one element per .service and .socket unit file, with what
// `systemctl is-enabled` would say about it, read from the files alone (images and offline roots
// too), plus what systemd is doing with it on a live host where systemd runs.
import type { Attributes, AttributeValue, Element } from '../../../model/index.js'
import type { CollectionProblem, CollectorContext, SystemCollector } from '../system-collector.js'
import { readInstalledUnits, type InstalledUnit } from './installed-units.js'
import { readUnitActivity, type UnitActivity } from './systemctl-units.js'

export const SERVICE_SUFFIXES = ['.service', '.socket'] as const

/**
 * Collects `service:<unit>` elements.
 *
 * @example
 * const { elements, problems } = servicesCollector.collect({
 *   target: openTarget({}),
 *   commands: new LocalCommandRunner(),
 * })
 */
export const servicesCollector: SystemCollector = {
  name: 'services',
  collect({ target, commands, selection }: CollectorContext) {
    const problems: CollectionProblem[] = []
    const wanted = (name: string): boolean => selection?.wants(`service:${name}`) ?? true
    const units = readInstalledUnits(target, SERVICE_SUFFIXES, problems, wanted)
    // /run/systemd/system exists only while systemd is PID 1 (sd_booted(3)).
    const systemdRuns = target.live && target.entryType('/run/systemd/system') === 'directory'
    const activity = systemdRuns ? readUnitActivity(commands, problems) : undefined
    const elements = units.map((unit) => serviceElement(unit, activity))
    return { elements, problems }
  },
}

/**
 * The element of one unit. `activity` is undefined when systemd's view is not available; a unit
 * it does not list is not loaded, which systemctl shows as inactive (dead).
 */
export function serviceElement(
  unit: InstalledUnit,
  activity: ReadonlyMap<string, UnitActivity> | undefined,
): Element {
  const attributes: Record<string, AttributeValue> = unitAttributes(unit)
  if (activity !== undefined) {
    const seen = activity.get(unit.name)
    attributes['activeState'] = seen?.active ?? 'inactive'
    attributes['subState'] = seen?.sub ?? 'dead'
  }
  return {
    key: `service:${unit.name}`,
    attributes,
    ...(unit.state === undefined ? { unverified: ['state'] } : {}),
  }
}

/**
 * The attributes every unit element has (services and timers): state, path, wantedBy, and
 * requiredBy and aliasOf where they apply.
 *
 * @example unitAttributes(unit)
 * // { state: 'enabled', path: '/lib/systemd/system/ssh.service', wantedBy: 'multi-user.target' }
 */
export function unitAttributes(unit: InstalledUnit): Attributes {
  return {
    ...(unit.state === undefined ? {} : { state: unit.state }),
    path: unit.path,
    wantedBy: unit.wantedBy.join(','),
    ...(unit.requiredBy.length > 0 ? { requiredBy: unit.requiredBy.join(',') } : {}),
    ...(unit.aliasOf === undefined ? {} : { aliasOf: unit.aliasOf }),
  }
}
