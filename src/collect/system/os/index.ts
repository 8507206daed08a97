// The operating system: os-release and host name.
export { osCollector } from './os-collector.js'
export { parseOsRelease } from './os-release.js'
export { parseHostname } from './hostname.js'
