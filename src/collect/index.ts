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
  fileRulesSchema,
  type FileAttribute,
  type FileRule,
  type FileRules,
  type FileRulesInput,
} from './file-rules.js'
export { loadFileRules, parseFileRules } from './file-rules-loader.js'
export { LIVE_HOST_RULES, SECRET_PATHS, WHOLE_ROOT_RULES } from './default-file-rules.js'
export { formatMode, fileTypeOf } from './file-element.js'
