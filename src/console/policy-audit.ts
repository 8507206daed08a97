// A policy change is recorded in the audit log: at each start the console compares the policies
// it loaded with those of its last start, and writes an entry when they differ (which policies,
// which versions, and a digest of their whole content, so an edit without a version bump shows).
import { createHash } from 'node:crypto'
import type { Policy } from '../policy/index.js'
import type { FleetStore } from '../store/index.js'

export async function recordPolicyChange(
  store: FleetStore,
  policies: readonly Policy[],
  now: string,
): Promise<boolean> {
  const digest = createHash('sha256').update(JSON.stringify(policies)).digest('hex')
  const last = await store.lastAuditOf('policies.loaded')
  if (last?.subject['digest'] === digest) return false
  await store.audit(
    {
      actor: 'driftwatch',
      action: 'policies.loaded',
      subject: {
        digest,
        previousDigest: last?.subject['digest'] ?? null,
        policies: policies.map((policy) => ({
          id: policy.id,
          version: policy.version,
          tests: policy.tests.length,
        })),
      },
    },
    now,
  )
  return true
}
