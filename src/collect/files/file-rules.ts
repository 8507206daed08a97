// File-integrity rules: which paths to walk, which attributes to record, whose content to keep.
// Written in YAML (docs/rules.md). The types live here, without zod, so a check that uses a
// baseline's stored rules never loads the schema (zod alone costs ~50 ms and ~16 MB at startup);
// the schema that validates a rules file is in file-rules-schema.ts.
import type { SystemCollectorName } from '../system/system-collector.js'

export const FILE_ATTRIBUTES = [
  'type',
  'mode',
  'uid',
  'gid',
  'size',
  'mtime',
  'ctime',
  'inode',
  'nlink',
  'rdev',
  'target',
  'sha256',
] as const
export type FileAttribute = (typeof FILE_ATTRIBUTES)[number]

/** Named attribute sets, so rules files stay short. */
export const ATTRIBUTE_PRESETS = {
  all: FILE_ATTRIBUTES,
  /** Who may do what, without content: for files that change legitimately. */
  permissions: ['type', 'mode', 'uid', 'gid', 'rdev', 'target'],
  /** Files that grow in place (logs): identity and permissions, not size or content. */
  growing: ['type', 'mode', 'uid', 'gid', 'inode', 'rdev', 'target'],
} as const satisfies Record<string, readonly FileAttribute[]>
export type AttributePreset = keyof typeof ATTRIBUTE_PRESETS

export interface FileRule {
  /** Where the walk starts, as the system inside sees it. */
  readonly path: string
  readonly attributes: AttributePreset | readonly FileAttribute[]
  /** Globs (on system paths) left out; a matching directory is left out with all inside it. */
  readonly exclude: readonly string[]
  /** Globs of files whose content is kept (small text files only), for diffs. */
  readonly content: readonly string[]
  /** false: record the path itself only. */
  readonly recurse: boolean
}

export interface FileRules {
  readonly version: 1
  /** The system collectors to run besides the file walk (all of them unless the rules say). */
  readonly collect: readonly SystemCollectorName[]
  /** Stay on the filesystem each rule's path is on (mount points are recorded, not entered). */
  readonly oneFilesystem: boolean
  /** Content is kept only for text files at most this big. */
  readonly contentMaxBytes: number
  readonly exclude: readonly string[]
  /** Globs whose content is never kept whatever a rule says: secrets stay out of the database. */
  readonly contentExclude: readonly string[]
  readonly rules: readonly FileRule[]
}

export function attributesOf(rule: FileRule): readonly FileAttribute[] {
  return typeof rule.attributes === 'string' ? ATTRIBUTE_PRESETS[rule.attributes] : rule.attributes
}

/** A rule with every default filled in. */
export function fileRule(rule: Pick<FileRule, 'path'> & Partial<FileRule>): FileRule {
  return { attributes: 'all', exclude: [], content: [], recurse: true, ...rule }
}
