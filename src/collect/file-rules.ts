// File-integrity rules: which paths to walk, which attributes to record, whose content to keep.
// Written in YAML (docs/rules.md); validated by one zod schema.
import { z } from 'zod'

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
  'target',
  'sha256',
] as const
export type FileAttribute = (typeof FILE_ATTRIBUTES)[number]

/** Named attribute sets, so rules files stay short. */
export const ATTRIBUTE_PRESETS: Readonly<Record<string, readonly FileAttribute[]>> = {
  all: FILE_ATTRIBUTES,
  /** Who may do what, without content: for files that change legitimately. */
  permissions: ['type', 'mode', 'uid', 'gid', 'target'],
  /** Files that grow in place (logs): identity and permissions, not size or content. */
  growing: ['type', 'mode', 'uid', 'gid', 'inode', 'target'],
}

const pathSchema = z
  .string()
  .min(1)
  .refine((path) => path.startsWith('/'), { message: 'must be an absolute path (start with /)' })
  .refine((path) => !path.split('/').includes('..'), { message: 'must not contain ".."' })

const attributesSchema = z.union([
  z.enum(Object.keys(ATTRIBUTE_PRESETS) as [string, ...string[]]),
  z.array(z.enum(FILE_ATTRIBUTES)).min(1),
])

export const fileRuleSchema = z.strictObject({
  /** Where the walk starts, as the system inside sees it. */
  path: pathSchema,
  attributes: attributesSchema.default('all'),
  /** Globs (on system paths) left out; a matching directory is left out with all inside it. */
  exclude: z.array(z.string().min(1)).default([]),
  /** Globs of files whose content is kept (small text files only), for diffs. */
  content: z.array(z.string().min(1)).default([]),
  /** false: record the path itself only. */
  recurse: z.boolean().default(true),
})

export const fileRulesSchema = z.strictObject({
  version: z.literal(1).default(1),
  /** Stay on the filesystem each rule's path is on (mount points are recorded, not entered). */
  oneFilesystem: z.boolean().default(true),
  /** Content is kept only for text files at most this big. */
  contentMaxBytes: z
    .number()
    .int()
    .min(0)
    .max(16 * 1024 * 1024)
    .default(65536),
  exclude: z.array(z.string().min(1)).default([]),
  /** Globs whose content is never kept whatever a rule says: secrets stay out of the database. */
  contentExclude: z.array(z.string().min(1)).default([]),
  rules: z.array(fileRuleSchema).min(1),
})

export type FileRules = z.output<typeof fileRulesSchema>
export type FileRule = z.output<typeof fileRuleSchema>
export type FileRulesInput = z.input<typeof fileRulesSchema>

export function attributesOf(rule: FileRule): readonly FileAttribute[] {
  return typeof rule.attributes === 'string'
    ? (ATTRIBUTE_PRESETS[rule.attributes] ?? FILE_ATTRIBUTES)
    : rule.attributes
}
