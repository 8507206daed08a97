// Services: systemd .service and .socket units and their enablement. The unit reading is also
// what the scheduled collector builds its timers from.
export { servicesCollector, serviceElement, unitAttributes } from './services-collector.js'
export { readInstalledUnits, type InstalledUnit } from './installed-units.js'
export { settingValues, settingWords, parseUnitFile, type UnitFile } from './unit-file.js'
export type { UnitFileState } from './unit-state.js'
export { unitDirectories, type UnitDirectory, type UnitScope } from './unit-directories.js'
export { parseListUnits, type UnitActivity } from './systemctl-units.js'
