// Which policies a command or the console works with: shipped ones by id, others by file path.
import { DriftwatchError } from '../errors/index.js'
import type { Policy } from './policy.js'
import { loadPolicyFile, loadShippedPolicies } from './policy-loader.js'
import { shippedPoliciesDirectory } from './shipped-policies.js'

/**
 * @example await resolvePolicies(['debian-baseline', './site-policy.yaml'])
 */
export async function resolvePolicies(names: readonly string[]): Promise<Policy[]> {
  const isFile = (name: string): boolean =>
    name.includes('/') || name.endsWith('.yaml') || name.endsWith('.yml')
  // Shipped policies are read only when one is asked for by id (or none is asked for at all).
  const shipped =
    names.every(isFile) && names.length > 0
      ? new Map<string, Policy>()
      : await loadShippedPolicies(shippedPoliciesDirectory())
  if (names.length === 0) return [...shipped.values()]
  return Promise.all(
    names.map(async (name) => {
      if (isFile(name)) return loadPolicyFile(name)
      const known = shipped.get(name)
      if (known !== undefined) return known
      throw new DriftwatchError(
        'DW_ERR_POLICY_NOT_FOUND',
        `no shipped policy "${name}" (shipped: ${[...shipped.keys()].join(', ')}); give a file path for your own`,
      )
    }),
  )
}
