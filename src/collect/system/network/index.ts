// The network collector: ports, interfaces, resolver and hosts entries.
export { networkCollector } from './network-collector.js'
