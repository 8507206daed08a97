// Reads policy files: a shipped policy from the build's validated copy when its text is unchanged,
// anything else through the parser (policy-parser.ts).
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DriftwatchError } from '../errors/index.js'
import type { Policy } from './policy.js'

export async function loadPolicyFile(file: string): Promise<Policy> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new DriftwatchError(
      'DW_ERR_POLICY_NOT_FOUND',
      `cannot read policy ${file}: ${(error as Error).message}`,
    )
  }
  const compiled = precompiledPolicy(text)
  if (compiled !== undefined) return { ...compiled, source: file }
  const { parsePolicy } = await import('./policy-parser.js')
  return parsePolicy(text, file)
}

let precompiled: Map<string, Omit<Policy, 'source'>> | undefined

/**
 * The build validates the shipped policies and stores them, keyed by the SHA-256 of their text,
 * beside the bundle (scripts/bundle.mjs): parsing and validating the 4,000-line Debian baseline
 * takes ~0.4 s, reading its stored form ~5 ms. A policy whose text differs from what was built
 * (edited after install, or any policy of your own) is parsed as usual.
 */
function precompiledPolicy(text: string): Omit<Policy, 'source'> | undefined {
  if (precompiled === undefined) {
    precompiled = new Map()
    try {
      const stored = JSON.parse(
        readFileSync(new URL('./shipped-policies.json', import.meta.url), 'utf8'),
      ) as Record<string, Omit<Policy, 'source'>>
      for (const [digest, policy] of Object.entries(stored)) precompiled.set(digest, policy)
    } catch {
      // Not built (running from source): every policy is parsed.
    }
  }
  if (precompiled.size === 0) return undefined
  return precompiled.get(createHash('sha256').update(text).digest('hex'))
}

/** The policies shipped in policies/ (every *.yaml), by id. */
export async function loadShippedPolicies(directory: string): Promise<Map<string, Policy>> {
  const policies = new Map<string, Policy>()
  for (const name of readdirSync(directory)
    .filter((entry) => entry.endsWith('.yaml'))
    .sort()) {
    const policy = await loadPolicyFile(join(directory, name))
    policies.set(policy.id, policy)
  }
  return policies
}
