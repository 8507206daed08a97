// Collectors: turn what a Target shows into elements.
export { FileCollector } from './file-collector.js'
export type {
  FileCollectorOptions,
  FileScanProgress,
  FileScanResult,
  NotChecked,
} from './file-collector.js'
export type { NotCheckedReason } from './file-reading.js'
export {
  ATTRIBUTE_PRESETS,
  FILE_ATTRIBUTES,
  fileRule,
  type FileAttribute,
  type FileRule,
  type FileRules,
} from './file-rules.js'
/** Reading a rules file loads yaml and zod: import it only when there is a file to read. */
export const loadRulesFileModule = (): Promise<typeof import('./file-rules-loader.js')> =>
  import('./file-rules-loader.js')
export { LIVE_HOST_RULES, WHOLE_ROOT_RULES } from './default-file-rules.js'
export { SECRET_PATHS } from './secret-paths.js'
export { formatMode, fileTypeOf } from './file-element.js'
