// Which waiver covers a failing test on a node (pure; no YAML or schema needed).
import picomatch from 'picomatch'
import type { Waiver } from './waivers.js'

export interface WaiverMatch {
  readonly waiver: Waiver
  /** The waiver covers the test and node but expired (it no longer applies). */
  readonly expired: boolean
}

/** The waiver that covers a test on a node: an active one first, else an expired one (to say so). */
export function findWaiver(
  waivers: readonly Waiver[],
  policyId: string,
  testId: string,
  node: { name: string; tags: readonly string[] },
  today: string,
): WaiverMatch | undefined {
  let expired: WaiverMatch | undefined
  for (const waiver of waivers) {
    const testMatches = waiver.tests.some((pattern) => {
      const matches = picomatch(pattern)
      return matches(testId) || matches(`${policyId}/${testId}`)
    })
    const nodeMatches = waiver.nodes.some((pattern) =>
      pattern.startsWith('tag:')
        ? node.tags.includes(pattern.slice(4))
        : pattern === '*' || picomatch(pattern, { dot: true })(node.name),
    )
    if (!testMatches || !nodeMatches) continue
    if (waiver.expires >= today) return { waiver, expired: false }
    expired ??= { waiver, expired: true }
  }
  return expired
}
