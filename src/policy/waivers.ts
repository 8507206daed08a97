// Waivers: an approved exception for tests on nodes, with a justification, an approver and an
// expiry (required). An expired waiver stops applying and the result says so.
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { DriftwatchError } from '../errors/index.js'
import { parseYamlWithSchema } from '../yaml/positioned-yaml.js'

const isoDate = z
  .union([z.string(), z.date()])
  .transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : value))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date, YYYY-MM-DD' }))

export const waiversSchema = z.strictObject({
  waivers: z.array(
    z.strictObject({
      /** Test ids (`ssh-permit-root-login`), or `policy/test`, globs allowed. */
      tests: z.array(z.string().min(1)).min(1),
      /** Node names, globs, or `tag:NAME`; default every node. */
      nodes: z.array(z.string().min(1)).default(['*']),
      justification: z.string().min(1),
      approver: z.string().min(1),
      expires: isoDate,
      ticket: z.string().optional(),
    }),
  ),
})

export type Waiver = z.output<typeof waiversSchema>['waivers'][number]

/**
 * @example parseWaivers(text, 'waivers.yaml')
 * @throws DriftwatchError DW_ERR_WAIVER_INVALID naming file:line:column (e.g. a waiver without expiry)
 */
export function parseWaivers(text: string, source: string): Waiver[] {
  return parseYamlWithSchema(text, source, waiversSchema, {
    syntax: 'DW_ERR_WAIVER_INVALID',
    invalid: 'DW_ERR_WAIVER_INVALID',
  }).data.waivers
}

export function loadWaivers(file: string): Waiver[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new DriftwatchError(
      'DW_ERR_WAIVER_INVALID',
      `cannot read waivers ${file}: ${(error as Error).message}`,
    )
  }
  return parseWaivers(text, file)
}
