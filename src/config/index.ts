export { resolveCliConfig, type CliFlags, type ResolvedConfig } from './cli-config.js'
export { DEFAULTS } from './defaults.js'
export type { ConsoleFlags, ResolvedConsoleConfig } from './console-config.js'
/** The console's configuration loads zod: import it only for `serve`. */
export const loadConsoleConfigModule = (): Promise<typeof import('./console-config.js')> =>
  import('./console-config.js')
