// Turns a systemd .timer unit into an element: its enablement (as for services), the unit it
// starts, and when.
import type { AttributeValue, Element } from '../../../model/index.js'
import { settingValues, unitAttributes, type InstalledUnit } from '../services/index.js'

/** [Timer] settings recorded, by attribute name. */
const TIMER_SETTINGS = {
  onCalendar: 'OnCalendar',
  onActiveSec: 'OnActiveSec',
  onBootSec: 'OnBootSec',
  onStartupSec: 'OnStartupSec',
  onUnitActiveSec: 'OnUnitActiveSec',
  onUnitInactiveSec: 'OnUnitInactiveSec',
  randomizedDelaySec: 'RandomizedDelaySec',
} as const

/**
 * The `timer:<unit>` element. Settings that may repeat (several OnCalendar=) are sorted and
 * joined with `; `, because a calendar expression can itself contain commas (`Mon,Fri 10:00`).
 *
 * @example timerElement(unit).attributes
 * // { state: 'enabled', path: '/lib/systemd/system/apt-daily.timer', wantedBy: 'timers.target',
 * //   unit: 'apt-daily.service', onCalendar: '*-*-* 6,18:00', randomizedDelaySec: '12h',
 * //   persistent: true }
 */
export function timerElement(unit: InstalledUnit): Element {
  const attributes: Record<string, AttributeValue> = { ...unitAttributes(unit) }
  const file = unit.file
  if (file !== undefined) {
    attributes['unit'] = settingValues(file, 'Timer', 'Unit').at(-1) ?? triggeredByName(unit.name)
    for (const [attribute, setting] of Object.entries(TIMER_SETTINGS)) {
      const values = settingValues(file, 'Timer', setting)
      if (values.length > 0) attributes[attribute] = [...new Set(values)].sort().join('; ')
    }
    const persistent = settingValues(file, 'Timer', 'Persistent').at(-1)
    if (persistent !== undefined) attributes['persistent'] = isTrue(persistent)
  }
  return {
    key: `timer:${unit.name}`,
    attributes,
    ...(unit.state === undefined ? { unverified: ['state'] } : {}),
  }
}

/** A timer starts the service of its own name unless Unit= says otherwise (systemd.timer(5)). */
function triggeredByName(timer: string): string {
  return `${timer.slice(0, -'.timer'.length)}.service`
}

/** systemd's boolean words (parse_boolean). */
function isTrue(value: string): boolean {
  return ['1', 'yes', 'y', 'true', 't', 'on'].includes(value.toLowerCase())
}
