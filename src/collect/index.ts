// Collectors: turn what a Target shows into elements.
export { FileCollector } from './files/file-collector.js'
export type {
  FileCollectorOptions,
  FileScanProgress,
  FileScanResult,
  NotChecked,
} from './files/file-collector.js'
export type { NotCheckedReason } from './files/file-reading.js'
export {
  ATTRIBUTE_PRESETS,
  FILE_ATTRIBUTES,
  fileRule,
  type FileAttribute,
  type FileRule,
  type FileRules,
} from './files/file-rules.js'
/** Reading a rules file loads yaml and zod: import it only when there is a file to read. */
export const loadRulesFileModule = (): Promise<typeof import('./files/file-rules-loader.js')> =>
  import('./files/file-rules-loader.js')
export { mergeFileRules } from './files/merge-file-rules.js'
export { LIVE_HOST_RULES, WHOLE_ROOT_RULES } from './files/default-file-rules.js'
export { SECRET_PATHS } from './files/secret-paths.js'
export { formatMode, fileTypeOf } from './files/file-element.js'
export { SnapshotCollector } from './snapshot-collector.js'
export type { SnapshotCollectorOptions, SnapshotResult } from './snapshot-collector.js'
export {
  SYSTEM_COLLECTORS,
  type CollectionProblem,
  type CommandRunner,
  type SystemCollectorName,
} from './system/system-collector.js'
export { collectSystem, type SystemCollection } from './system/system-collectors.js'
export { ElementSelection } from './system/element-selection.js'
export { LocalCommandRunner } from './system/local-command-runner.js'
export {
  recordedDigests,
  type RecordedFileDigest,
} from './system/packages/recorded-digests.js'
/** The accounts collector and the privileged-access analysis, loaded when a command needs them. */
export const loadAccountsModule = (): Promise<typeof import('./system/accounts/index.js')> =>
  import('./system/accounts/index.js')
export type { AdminBounds, PrivilegedAccess } from './system/accounts/index.js'
