// Reading a node's current elements. Keys and states never change once stored, so both are
// cached by id, and clones of one build share their entries. The console evaluates a node right
// after storing its snapshot, so the reader also keeps each node's view (the elements policies
// look at) and moves it forward with the snapshot's transitions instead of reading it again; a
// view is used only for the snapshot it was made for, so a snapshot stored by another console
// (or a view that fell out of the cache) means one fresh read, never a stale answer.
import type { Kysely } from 'kysely'
import { parseAttributes, type Attributes, type Element } from '../../model/index.js'
import type { FleetDatabase } from './fleet-database.js'
import { chunks } from './element-interner.js'

interface CachedState {
  readonly attributes: Attributes
  readonly content: string | undefined
  readonly unverified: readonly string[] | undefined
}

interface NodeView {
  readonly snapshotId: number
  readonly wanted: (key: string) => boolean
  readonly elements: Map<string, Element>
}

/** An element's new state after a snapshot, as ingest worked it out. */
export interface ReaderTransition {
  readonly key: string
  /** null: the element is gone. */
  readonly after: number | null
  readonly attributes: string | undefined
  readonly content: string | undefined
  readonly unverified: readonly string[] | undefined
}

const KEY_CACHE_LIMIT = 500_000
const STATE_CACHE_LIMIT = 300_000
const VIEW_LIMIT = 5_000
/** Bigger contents are read again when needed rather than held. */
const CACHED_CONTENT_LIMIT = 64 * 1024

export class ElementReader {
  private readonly keys = new Map<number, string>()
  private readonly states = new Map<number, CachedState>()
  private readonly views = new Map<number, NodeView>()

  /**
   * @param asOfSnapshot the snapshot the caller knows is the node's newest; a view made for it
   *   is answered from memory.
   */
  async current(
    db: Kysely<FleetDatabase>,
    nodeId: number,
    wanted: (key: string) => boolean = () => true,
    asOfSnapshot?: number,
  ): Promise<Map<string, Element>> {
    const view = this.views.get(nodeId)
    if (view !== undefined && view.snapshotId === asOfSnapshot && view.wanted === wanted) {
      return new Map(view.elements)
    }
    const rows = await db
      .selectFrom('element_versions')
      .select(['key_id', 'state_id'])
      .where('node_id', '=', nodeId)
      .where('to_snapshot', 'is', null)
      .execute()
    const keys = await this.keysOf(
      db,
      rows.map((row) => Number(row.key_id)),
    )
    const chosen: [key: string, stateId: number][] = []
    for (const row of rows) {
      const key = keys.get(Number(row.key_id)) as string
      if (wanted(key)) chosen.push([key, Number(row.state_id)])
    }
    const states = await this.statesOf(
      db,
      chosen.map(([, stateId]) => stateId),
    )
    chosen.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    const elements = new Map<string, Element>()
    for (const [key, stateId] of chosen) {
      elements.set(key, toElement(key, states.get(stateId) as CachedState))
    }
    if (asOfSnapshot !== undefined)
      this.keepView(nodeId, { snapshotId: asOfSnapshot, wanted, elements })
    return new Map(elements)
  }

  /** One page of a node's current elements in key order: those after `after`, under `prefix`. */
  async page(
    db: Kysely<FleetDatabase>,
    nodeId: number,
    options: { prefix: string; after: string; limit: number },
  ): Promise<Element[]> {
    let query = db
      .selectFrom('element_versions as v')
      .innerJoin('element_keys as k', 'k.id', 'v.key_id')
      .select(['k.key', 'v.state_id'])
      .where('v.node_id', '=', nodeId)
      .where('v.to_snapshot', 'is', null)
      .where('k.key', '>', options.after)
    if (options.prefix !== '') {
      query = query.where(
        (eb) => eb.fn('substr', [eb.ref('k.key'), eb.lit(1), eb.lit(options.prefix.length)]),
        '=',
        options.prefix,
      )
    }
    const rows = await query.orderBy('k.key').limit(options.limit).execute()
    const states = await this.statesOf(
      db,
      rows.map((row) => Number(row.state_id)),
    )
    return rows.map((row) => toElement(row.key, states.get(Number(row.state_id)) as CachedState))
  }

  /** Moves a node's view from the previous snapshot to the one just stored. */
  advance(
    nodeId: number,
    previousSnapshotId: number,
    snapshotId: number,
    transitions: readonly ReaderTransition[],
  ): void {
    const view = this.views.get(nodeId)
    this.views.delete(nodeId)
    if (view === undefined || view.snapshotId !== previousSnapshotId) return
    for (const transition of transitions) {
      if (!view.wanted(transition.key)) continue
      if (transition.after === null || transition.attributes === undefined) {
        view.elements.delete(transition.key)
        continue
      }
      const state: CachedState = {
        attributes: parseAttributes(transition.attributes),
        content: transition.content,
        unverified: transition.unverified,
      }
      this.cacheState(transition.after, state)
      view.elements.set(transition.key, toElement(transition.key, state))
    }
    this.keepView(nodeId, { ...view, snapshotId })
  }

  private keepView(nodeId: number, view: NodeView): void {
    this.views.delete(nodeId)
    if (this.views.size >= VIEW_LIMIT) {
      const oldest = this.views.keys().next().value
      if (oldest !== undefined) this.views.delete(oldest)
    }
    this.views.set(nodeId, view)
  }

  private async keysOf(
    db: Kysely<FleetDatabase>,
    ids: readonly number[],
  ): Promise<Map<number, string>> {
    const found = new Map<number, string>()
    const missing: number[] = []
    for (const id of ids) {
      const key = this.keys.get(id)
      if (key === undefined) missing.push(id)
      else found.set(id, key)
    }
    if (this.keys.size + missing.length > KEY_CACHE_LIMIT) this.keys.clear()
    for (const batch of chunks(missing)) {
      const rows = await db
        .selectFrom('element_keys')
        .select(['id', 'key'])
        .where('id', 'in', batch)
        .execute()
      for (const row of rows) {
        found.set(Number(row.id), row.key)
        if (this.keys.size < KEY_CACHE_LIMIT) this.keys.set(Number(row.id), row.key)
      }
    }
    return found
  }

  private async statesOf(
    db: Kysely<FleetDatabase>,
    ids: readonly number[],
  ): Promise<Map<number, CachedState>> {
    const found = new Map<number, CachedState>()
    const missing = new Set<number>()
    for (const id of ids) {
      const state = this.states.get(id)
      if (state === undefined) missing.add(id)
      else found.set(id, state)
    }
    if (this.states.size + missing.size > STATE_CACHE_LIMIT) this.states.clear()
    for (const batch of chunks([...missing])) {
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
        found.set(Number(row.id), state)
        this.cacheState(Number(row.id), state)
      }
    }
    return found
  }

  private cacheState(id: number, state: CachedState): void {
    if (this.states.size >= STATE_CACHE_LIMIT) return
    if (state.content !== undefined && state.content.length > CACHED_CONTENT_LIMIT) return
    this.states.set(id, state)
  }
}

function toElement(key: string, state: CachedState): Element {
  return {
    key,
    attributes: state.attributes,
    ...(state.content === undefined ? {} : { content: state.content }),
    ...(state.unverified === undefined ? {} : { unverified: state.unverified }),
  }
}
