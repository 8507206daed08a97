// The zod schema that validates a rules file. Loaded only when a rules file is read.
import { z } from 'zod'
import { SYSTEM_COLLECTORS } from '../system/system-collector.js'
import { ATTRIBUTE_PRESETS, FILE_ATTRIBUTES, type FileRules } from './file-rules.js'

const pathSchema = z
  .string()
  .min(1)
  .refine((path) => path.startsWith('/'), { message: 'must be an absolute path (start with /)' })
  .refine((path) => !path.split('/').includes('..'), { message: 'must not contain ".."' })

const presetNames = Object.keys(ATTRIBUTE_PRESETS) as [
  keyof typeof ATTRIBUTE_PRESETS,
  ...(keyof typeof ATTRIBUTE_PRESETS)[],
]

export const fileRuleSchema = z.strictObject({
  path: pathSchema,
  attributes: z
    .union([z.enum(presetNames), z.array(z.enum(FILE_ATTRIBUTES)).min(1)], {
      error: `expected a preset (${presetNames.join(', ')}) or a list of attributes from: ${FILE_ATTRIBUTES.join(', ')}`,
    })
    .default('all'),
  exclude: z.array(z.string().min(1)).default([]),
  content: z.array(z.string().min(1)).default([]),
  recurse: z.boolean().default(true),
})

export const fileRulesSchema = z.strictObject({
  version: z.literal(1).default(1),
  collect: z
    .array(z.enum(SYSTEM_COLLECTORS, { error: `expected one of ${SYSTEM_COLLECTORS.join(', ')}` }))
    .default([...SYSTEM_COLLECTORS]),
  oneFilesystem: z.boolean().default(true),
  contentMaxBytes: z
    .number()
    .int()
    .min(0)
    .max(16 * 1024 * 1024)
    .default(65536),
  exclude: z.array(z.string().min(1)).default([]),
  contentExclude: z.array(z.string().min(1)).default([]),
  rules: z.array(fileRuleSchema).min(1),
})

// The schema's output must be exactly the FileRules the collector takes.
export type SchemaMatchesTypes = z.output<typeof fileRulesSchema> extends FileRules ? true : never
const schemaMatchesTypes: SchemaMatchesTypes = true
void schemaMatchesTypes
