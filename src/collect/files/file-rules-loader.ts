// Reads a rules file: YAML errors and schema errors both name file:line:column.
import { readFileSync } from 'node:fs'
import { DriftwatchError } from '../../errors/index.js'
import { parseYamlWithSchema } from '../../yaml/positioned-yaml.js'
import type { FileRules } from './file-rules.js'
import { fileRulesSchema } from './file-rules-schema.js'

/**
 * @example loadFileRules('/etc/driftwatch/rules.yaml')
 * @throws DriftwatchError DW_ERR_RULES_SYNTAX, DW_ERR_RULES_INVALID, DW_ERR_IO
 */
export function loadFileRules(file: string): FileRules {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new DriftwatchError(
      'DW_ERR_IO',
      `cannot read rules file ${file}: ${(error as Error).message}`,
    )
  }
  return parseFileRules(text, file)
}

/** Parses rules text; `source` names it in errors. */
export function parseFileRules(text: string, source: string): FileRules {
  const { data, where } = parseYamlWithSchema(text, source, fileRulesSchema, {
    syntax: 'DW_ERR_RULES_SYNTAX',
    invalid: 'DW_ERR_RULES_INVALID',
  })
  const duplicate = findDuplicatePath(data)
  if (duplicate === undefined) return data
  throw new DriftwatchError(
    'DW_ERR_RULES_INVALID',
    `${where(['rules', duplicate, 'path'])}: rules[${duplicate}].path: the path ${data.rules[duplicate]?.path ?? ''} already has a rule`,
  )
}

function findDuplicatePath(rules: FileRules): number | undefined {
  const seen = new Set<string>()
  for (const [index, rule] of rules.rules.entries()) {
    const base = rule.path.replace(/\/+$/, '') || '/'
    if (seen.has(base)) return index
    seen.add(base)
  }
  return undefined
}
