// `driftwatch audit verify`: walks the audit log straight from the database (not through a
// console that might be the thing tampered with) and checks its hash chain end to end.
import { DriftwatchError } from '../errors/index.js'
import { AUDIT_GENESIS, verifyAuditChain } from '../model/index.js'
import type { FleetStore } from '../store/index.js'

export interface AuditVerification {
  readonly entries: number
  readonly headHash: string
}

const PAGE = 5000

/** @throws DriftwatchError DW_ERR_AUDIT_TAMPERED naming the first entry that breaks the chain */
export async function verifyAuditLog(store: FleetStore): Promise<AuditVerification> {
  let start = { id: 1, previousHash: AUDIT_GENESIS }
  let count = 0
  for (;;) {
    const page = await store.auditEntries({ afterId: start.id - 1, limit: PAGE })
    if (page.length === 0) break
    const problem = verifyAuditChain(
      page.map((entry) => ({ ...entry, subject: subjectText(entry) })),
      start,
    )
    if (problem !== undefined) {
      const what =
        problem.problem === 'edited'
          ? `entry ${problem.id} was edited`
          : problem.problem === 'missing'
            ? problem.lastMissing === problem.id
              ? `entry ${problem.id} is missing`
              : `entries ${problem.id}–${problem.lastMissing} are missing`
            : `entry ${problem.id} does not follow the entry before it`
      throw new DriftwatchError('DW_ERR_AUDIT_TAMPERED', `audit log: ${what}`, {
        details: { entry: problem.id, problem: problem.problem },
      })
    }
    count += page.length
    const last = page[page.length - 1] as { id: number; hash: string }
    start = { id: last.id + 1, previousHash: last.hash }
  }
  return { entries: count, headHash: start.previousHash }
}

/** The subject exactly as stored: the chain covers the stored text, not a re-serialization. */
function subjectText(entry: { subject: unknown; subjectText?: string }): string {
  return entry.subjectText ?? JSON.stringify(entry.subject)
}
