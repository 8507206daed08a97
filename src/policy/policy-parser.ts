// Parses policy text: YAML and schema errors name file:line:column and what was expected. Loads
// yaml and zod, so the loader imports it only for a policy the build did not validate.
import { DriftwatchError } from '../errors/index.js'
import { parseYamlWithSchema } from '../yaml/positioned-yaml.js'
import type { Policy } from './policy.js'
import { policySchema } from './policy-schema.js'

/**
 * @example parsePolicy(text, 'policies/debian-baseline.yaml')
 * @throws DriftwatchError DW_ERR_POLICY_SYNTAX, DW_ERR_POLICY_INVALID
 */
export function parsePolicy(text: string, source: string): Policy {
  const { data, where } = parseYamlWithSchema(text, source, policySchema, {
    syntax: 'DW_ERR_POLICY_SYNTAX',
    invalid: 'DW_ERR_POLICY_INVALID',
  })
  const seen = new Set<string>()
  for (const [index, test] of data.tests.entries()) {
    if (seen.has(test.id)) {
      throw new DriftwatchError(
        'DW_ERR_POLICY_INVALID',
        `${where(['tests', index, 'id'])}: tests[${index}].id: "${test.id}" is already the id of another test`,
      )
    }
    seen.add(test.id)
  }
  return { ...data, source }
}
