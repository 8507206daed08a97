// Targets: read-only views of a system.
export type { Target, TargetKind } from './target.js'
export { DirectoryTarget } from './directory-target.js'
export { openTarget } from './open-target.js'
export { resolveInRoot } from './resolve-in-root.js'
export { parseMountInfo, readMountTable, PSEUDO_FILESYSTEM_TYPES } from './mount-table.js'
