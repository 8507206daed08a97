// Element keys and element states are stored once, however many nodes and snapshots share them
// (clones of one build are mostly identical): this maps them to their ids, inserting the ones the
// database does not have. Ids never change once committed, so they are cached — but only after
// the transaction that created them commits, so a rollback cannot leave a dangling id behind.
import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { IncomingElement } from '../fleet-store.js'
import type { FleetDatabase } from './fleet-database.js'

type Db = Kysely<FleetDatabase> | Transaction<FleetDatabase>

/** Rows per INSERT or IN (…): below SQLite's and PostgreSQL's limits on bound parameters. */
const BATCH = 500
const CACHE_LIMIT = 400_000

export interface PreparedState {
  readonly digest: string
  readonly attributes: string
  readonly contentSha256: string | null
  readonly content: string | undefined
  readonly unverified: string | null
}

/** The digest a state is stored under: its attributes, content and unreadable attributes. */
export function prepareState(element: IncomingElement): PreparedState {
  const contentSha256 =
    element.content === undefined
      ? null
      : createHash('sha256').update(element.content).digest('hex')
  const unverified =
    element.unverified === undefined || element.unverified.length === 0
      ? null
      : JSON.stringify(element.unverified)
  const digest = createHash('sha256')
    .update(element.attributes)
    .update('\n')
    .update(contentSha256 ?? '')
    .update('\n')
    .update(unverified ?? '')
    .digest('base64url')
  return {
    digest,
    attributes: element.attributes,
    contentSha256,
    content: element.content,
    unverified,
  }
}

export function chunks<T>(items: readonly T[], size = BATCH): T[][] {
  const out: T[][] = []
  for (let index = 0; index < items.length; index += size)
    out.push(items.slice(index, index + size))
  return out
}

export class ElementInterner {
  private readonly keyIds = new Map<string, number>()
  private readonly stateIds = new Map<string, number>()

  /** Ids learnt inside a transaction: handed to `remember` once it commits. */
  newLearning(): Learning {
    return { keys: new Map(), states: new Map() }
  }

  remember(learning: Learning): void {
    if (this.keyIds.size + learning.keys.size > CACHE_LIMIT) this.keyIds.clear()
    if (this.stateIds.size + learning.states.size > CACHE_LIMIT) this.stateIds.clear()
    for (const [key, id] of learning.keys) this.keyIds.set(key, id)
    for (const [digest, id] of learning.states) this.stateIds.set(digest, id)
  }

  async keyIdsFor(
    db: Db,
    keys: Iterable<string>,
    learning: Learning,
  ): Promise<Map<string, number>> {
    const ids = new Map<string, number>()
    const missing: string[] = []
    for (const key of keys) {
      if (ids.has(key)) continue
      const known = this.keyIds.get(key) ?? learning.keys.get(key)
      if (known === undefined) missing.push(key)
      else ids.set(key, known)
    }
    // Sorted, so that two consoles inserting overlapping keys take the locks in one order.
    missing.sort()
    for (const batch of chunks([...new Set(missing)])) {
      await db
        .insertInto('element_keys')
        .values(batch.map((key) => ({ key })))
        .onConflict((conflict) => conflict.column('key').doNothing())
        .execute()
      const rows = await db
        .selectFrom('element_keys')
        .select(['id', 'key'])
        .where('key', 'in', batch)
        .execute()
      for (const row of rows) {
        ids.set(row.key, Number(row.id))
        learning.keys.set(row.key, Number(row.id))
      }
    }
    return ids
  }

  async stateIdsFor(
    db: Db,
    states: readonly PreparedState[],
    learning: Learning,
  ): Promise<Map<string, number>> {
    const ids = new Map<string, number>()
    const missing = new Map<string, PreparedState>()
    for (const state of states) {
      const known = this.stateIds.get(state.digest) ?? learning.states.get(state.digest)
      if (known === undefined) missing.set(state.digest, state)
      else ids.set(state.digest, known)
    }
    const ordered = [...missing.values()].sort((a, b) => (a.digest < b.digest ? -1 : 1))
    const contents = new Map<string, string>()
    for (const state of ordered) {
      if (state.contentSha256 !== null && state.content !== undefined) {
        contents.set(state.contentSha256, state.content)
      }
    }
    for (const batch of chunks([...contents].sort((a, b) => (a[0] < b[0] ? -1 : 1)))) {
      await db
        .insertInto('contents')
        .values(batch.map(([sha256, body]) => ({ sha256, body })))
        .onConflict((conflict) => conflict.column('sha256').doNothing())
        .execute()
    }
    for (const batch of chunks(ordered)) {
      await db
        .insertInto('element_states')
        .values(
          batch.map((state) => ({
            digest: state.digest,
            attributes: state.attributes,
            content_sha256: state.contentSha256,
            unverified: state.unverified,
          })),
        )
        .onConflict((conflict) => conflict.column('digest').doNothing())
        .execute()
      const rows = await db
        .selectFrom('element_states')
        .select(['id', 'digest'])
        .where(
          'digest',
          'in',
          batch.map((state) => state.digest),
        )
        .execute()
      for (const row of rows) {
        ids.set(row.digest, Number(row.id))
        learning.states.set(row.digest, Number(row.id))
      }
    }
    return ids
  }
}

export interface Learning {
  readonly keys: Map<string, number>
  readonly states: Map<string, number>
}
