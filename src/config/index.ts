export { resolveCliConfig, type CliFlags, type ResolvedConfig } from './cli-config.js'
export { DEFAULTS } from './defaults.js'
