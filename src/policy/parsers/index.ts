// Config parsers for the policy engine: pure functions from a file's text (and the files it
// includes, from the same snapshot) to settings with their file and line.
export type {
  ConfigFiles,
  ConfigParser,
  ConfigProblem,
  ConfigSetting,
  ParsedConfig,
} from './config-parser.js'
export { CONFIG_PARSERS, type ConfigParserName } from './config-parsers.js'
export { inMemoryConfigFiles } from './in-memory-config-files.js'
export { sshdParser, type ParsedSshdConfig, type SshdParser } from './sshd-parser.js'
export type { SshdConnection } from './sshd-match.js'
export {
  createKeyValueParser,
  keyValueParser,
  libvirtConfParser,
  type KeyValueOptions,
} from './key-value-parser.js'
export {
  pamParser,
  PAM_MODULE_TYPES,
  type PamEntry,
  type PamModuleType,
  type PamParser,
  type ParsedPamConfig,
} from './pam-parser.js'
export { iniParser } from './ini-parser.js'
export { fstabParser } from './fstab-parser.js'
