// Reading a node's current elements. Keys and states never change once stored, so both are
// cached by id, and clones of one build share their entries: evaluating a node after a rescan
// reads one index range (its current key and state ids) and looks up only what no node has
// needed yet. A filter leaves out keys no policy looks at before any state is fetched.
import type { Kysely } from 'kysely'
import { parseAttributes, type Attributes, type Element } from '../../model/index.js'
import type { FleetDatabase } from './fleet-database.js'
import { chunks } from './element-interner.js'

interface CachedState {
  readonly attributes: Attributes
  readonly content: string | undefined
  readonly unverified: readonly string[] | undefined
}

const KEY_CACHE_LIMIT = 500_000
const STATE_CACHE_LIMIT = 300_000
/** Bigger contents are read again when needed rather than held. */
const CACHED_CONTENT_LIMIT = 64 * 1024

export class ElementReader {
  private readonly keys = new Map<number, string>()
  private readonly states = new Map<number, CachedState>()

  async current(
    db: Kysely<FleetDatabase>,
    nodeId: number,
    wanted: (key: string) => boolean = () => true,
  ): Promise<Map<string, Element>> {
    const rows = await db
      .selectFrom('element_versions')
      .select(['key_id', 'state_id'])
      .where('node_id', '=', nodeId)
      .where('to_snapshot', 'is', null)
      .execute()
    await this.loadKeys(
      db,
      rows.map((row) => Number(row.key_id)),
    )
    const chosen: [key: string, stateId: number][] = []
    for (const row of rows) {
      const key = this.keys.get(Number(row.key_id)) as string
      if (wanted(key)) chosen.push([key, Number(row.state_id)])
    }
    const fetched = await this.loadStates(
      db,
      chosen.map(([, stateId]) => stateId),
    )
    chosen.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    const elements = new Map<string, Element>()
    for (const [key, stateId] of chosen) {
      const state = (this.states.get(stateId) ?? fetched.get(stateId)) as CachedState
      elements.set(key, {
        key,
        attributes: state.attributes,
        ...(state.content === undefined ? {} : { content: state.content }),
        ...(state.unverified === undefined ? {} : { unverified: state.unverified }),
      })
    }
    return elements
  }

  private async loadKeys(db: Kysely<FleetDatabase>, ids: readonly number[]): Promise<void> {
    const missing = ids.filter((id) => !this.keys.has(id))
    if (missing.length === 0) return
    if (this.keys.size + missing.length > KEY_CACHE_LIMIT) this.keys.clear()
    for (const batch of chunks(missing)) {
      const rows = await db
        .selectFrom('element_keys')
        .select(['id', 'key'])
        .where('id', 'in', batch)
        .execute()
      for (const row of rows) this.keys.set(Number(row.id), row.key)
    }
  }

  /** Fetches the states not cached; returns them too, in case the cache had to drop them. */
  private async loadStates(
    db: Kysely<FleetDatabase>,
    ids: readonly number[],
  ): Promise<Map<number, CachedState>> {
    const fetched = new Map<number, CachedState>()
    const missing = [...new Set(ids.filter((id) => !this.states.has(id)))]
    if (missing.length === 0) return fetched
    if (this.states.size + missing.length > STATE_CACHE_LIMIT) this.states.clear()
    for (const batch of chunks(missing)) {
      const rows = await db
        .selectFrom('element_states as s')
        .leftJoin('contents as c', 'c.sha256', 's.content_sha256')
        .select(['s.id', 's.attributes', 's.unverified', 'c.body'])
        .where('s.id', 'in', batch)
        .execute()
      for (const row of rows) {
        const state: CachedState = {
          attributes: parseAttributes(row.attributes),
          content: row.body ?? undefined,
          unverified:
            row.unverified === null ? undefined : (JSON.parse(row.unverified) as string[]),
        }
        fetched.set(Number(row.id), state)
        if (state.content === undefined || state.content.length <= CACHED_CONTENT_LIMIT) {
          this.states.set(Number(row.id), state)
        }
      }
    }
    return fetched
  }
}
