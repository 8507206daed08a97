// Reads policy files: YAML and schema errors name file:line:column and what was expected.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
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

export function loadPolicyFile(file: string): Policy {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new DriftwatchError(
      'DW_ERR_POLICY_NOT_FOUND',
      `cannot read policy ${file}: ${(error as Error).message}`,
    )
  }
  return parsePolicy(text, file)
}

/** The policies shipped in policies/ (every *.yaml), by id. */
export function loadShippedPolicies(directory: string): Map<string, Policy> {
  const policies = new Map<string, Policy>()
  for (const name of readdirSync(directory)
    .filter((entry) => entry.endsWith('.yaml'))
    .sort()) {
    const policy = loadPolicyFile(join(directory, name))
    policies.set(policy.id, policy)
  }
  return policies
}
