// Finds the few tickets that can matter to a change among thousands of open ones, so that a day's
// changes across a fleet reconcile in seconds. It only narrows the candidates: the verdict is
// reconcileChange's, and it is the same verdict a scan of every ticket gives.
import type { ChangeTicket } from './change-ticket.js'
import { compileTicket, type CompiledTicket } from './compiled-ticket.js'
import { changeInterval, type DetectedChange } from './detected-change.js'
import {
  reconcileCompiled,
  timeAllowances,
  type ReconcileOptions,
  type Reconciliation,
} from './reconcile-change.js'
import { splitKey } from './scope-pattern.js'

const HOUR_MS = 3_600_000
/**
 * Windows are kept apart by length, each group sorted by start: a window of at most `maxLength`
 * that intersects [from, to] starts in [from - maxLength, to], one binary search away. Most
 * windows are hours long, so the short group's search range is tight; the few long ones are
 * checked one by one.
 */
const LENGTHS = [48 * HOUR_MS, 14 * 24 * HOUR_MS, Infinity] as const

/** Values filed under string prefixes; finds every value whose prefix starts a given string. */
class PrefixTable<V> {
  private readonly byPrefix = new Map<string, V>()
  private lengths: number[] = []

  constructor(private readonly create: () => V) {}

  at(prefix: string): V {
    let value = this.byPrefix.get(prefix)
    if (value === undefined) {
      value = this.create()
      this.byPrefix.set(prefix, value)
      if (!this.lengths.includes(prefix.length))
        this.lengths = [...this.lengths, prefix.length].sort((a, b) => a - b)
    }
    return value
  }

  forEachValue(visit: (value: V) => void): void {
    for (const value of this.byPrefix.values()) visit(value)
  }

  forEachPrefixOf(text: string, visit: (value: V) => void): void {
    for (const length of this.lengths) {
      if (length > text.length) break
      const value = this.byPrefix.get(text.slice(0, length))
      if (value !== undefined) visit(value)
    }
  }
}

/** Tickets (by their number in the index) to find those whose window is open in an interval. */
class WindowPostings {
  private readonly pending = LENGTHS.map(
    () => [] as { ticket: number; start: number; end: number }[],
  )
  private groups: { tickets: Int32Array; starts: Float64Array; ends: Float64Array }[] = []
  private last = -1

  add(ticket: number, start: number, end: number): void {
    // A ticket filed twice under one prefix (file:/a/*.conf and file:/a/*.yaml) once is enough.
    if (this.last === ticket) return
    this.last = ticket
    const group = LENGTHS.findIndex((maxLength) => end - start <= maxLength)
    this.pending[group]?.push({ ticket, start, end })
  }

  /** Sorts what was added; called once, when the index is built. */
  seal(): void {
    this.groups = this.pending.map((entries) => {
      entries.sort((a, b) => a.start - b.start)
      return {
        tickets: Int32Array.from(entries, (entry) => entry.ticket),
        starts: Float64Array.from(entries, (entry) => entry.start),
        ends: Float64Array.from(entries, (entry) => entry.end),
      }
    })
  }

  /** Calls `found` with each ticket whose window intersects [from, to]. */
  collect(from: number, to: number, found: (ticket: number) => void): void {
    for (const [g, maxLength] of LENGTHS.entries()) {
      const { tickets, starts, ends } = this.groups[g] as (typeof this.groups)[number]
      for (let i = firstAtLeast(starts, from - maxLength); i < starts.length; i++) {
        if ((starts[i] as number) > to) break
        if ((ends[i] as number) >= from) found(tickets[i] as number)
      }
    }
  }
}

function firstAtLeast(sorted: Float64Array, value: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((sorted[middle] as number) < value) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * Open tickets indexed for reconciliation, each list by the days its tickets' windows span: by the
 * literal prefix of each element pattern (every ticket, whatever its state, since a rejected
 * ticket for this very element is a near miss worth showing) and, for approved tickets, by node
 * name, name-glob prefix, tag and group (an approved ticket open on the node is a near miss for a
 * change it did not foresee).
 *
 * @example
 * const index = new TicketIndex(openTickets)
 * const verdicts = changes.map((change) => index.reconcile(change, { clockSkewMinutes: 5 }))
 */
export class TicketIndex {
  readonly size: number
  private readonly tickets: CompiledTicket[] = []
  private readonly byElement = new Map<string, PrefixTable<WindowPostings>>()
  private readonly byName = new Map<string, WindowPostings>()
  private readonly byNamePrefix = new PrefixTable(() => new WindowPostings())
  private readonly byTag = new Map<string, WindowPostings>()
  private readonly byGroup = new Map<string, WindowPostings>()
  /** Which lookup last found each ticket: a set of candidates without a Set per change. */
  private readonly marks: Uint32Array
  private lookup = 0

  constructor(tickets: Iterable<ChangeTicket>) {
    const all: WindowPostings[] = []
    const postingsIn = (map: Map<string, WindowPostings>, key: string): WindowPostings => {
      let postings = map.get(key)
      if (postings === undefined) {
        postings = new WindowPostings()
        map.set(key, postings)
        all.push(postings)
      }
      return postings
    }
    const newPostings = (): WindowPostings => {
      const postings = new WindowPostings()
      all.push(postings)
      return postings
    }
    for (const ticket of tickets) {
      const compiled = compileTicket(ticket)
      const number = this.tickets.push(compiled) - 1
      const file = (postings: WindowPostings): void =>
        postings.add(number, compiled.start, compiled.end)
      for (const pattern of compiled.elements) {
        let table = this.byElement.get(pattern.kind)
        if (table === undefined) {
          table = new PrefixTable(newPostings)
          this.byElement.set(pattern.kind, table)
        }
        file(table.at(pattern.prefix))
      }
      if (!compiled.approved) continue
      for (const selector of compiled.nodes) {
        if (selector.kind === 'name' && !selector.literal)
          file(this.byNamePrefix.at(selector.prefix))
        else if (selector.kind === 'name') file(postingsIn(this.byName, selector.value))
        else if (selector.kind === 'tag') file(postingsIn(this.byTag, selector.value))
        else file(postingsIn(this.byGroup, selector.value))
      }
    }
    this.byNamePrefix.forEachValue((postings) => all.push(postings))
    for (const postings of new Set(all)) postings.seal()
    this.size = this.tickets.length
    this.marks = new Uint32Array(this.tickets.length)
  }

  /**
   * The tickets that can authorize the change or be one of its near misses; `reconcileChange`
   * gives the same verdict on them as on all tickets.
   */
  candidates(change: DetectedChange, options: ReconcileOptions = {}): ChangeTicket[] {
    return this.compiledCandidates(change, options).map((compiled) => compiled.ticket)
  }

  /**
   * Reconciles one change with the tickets that can matter to it.
   *
   * @example index.reconcile(change).verdict // 'authorized'
   */
  reconcile(change: DetectedChange, options: ReconcileOptions = {}): Reconciliation {
    return reconcileCompiled(change, this.compiledCandidates(change, options), options)
  }

  private compiledCandidates(change: DetectedChange, options: ReconcileOptions): CompiledTicket[] {
    const found: CompiledTicket[] = []
    const lookup = (this.lookup = (this.lookup % 0xffff_fffe) + 1)
    if (lookup === 1) this.marks.fill(0)
    const add = (ticket: number): void => {
      if (this.marks[ticket] === lookup) return
      this.marks[ticket] = lookup
      found.push(this.tickets[ticket] as CompiledTicket)
    }
    const interval = changeInterval(change)
    const { skewMs, nearMs } = timeAllowances(options)
    // By element: tickets near enough in time to be near misses; by node: tickets in the window.
    const { kind, identifier } = splitKey(change.key)
    const [nearFrom, nearTo] = [interval.from - nearMs, interval.to + nearMs]
    this.byElement
      .get(kind)
      ?.forEachPrefixOf(identifier, (postings) => postings.collect(nearFrom, nearTo, add))
    const [from, to] = [interval.from - skewMs, interval.to + skewMs]
    const { node } = change
    this.byName.get(node.name)?.collect(from, to, add)
    this.byNamePrefix.forEachPrefixOf(node.name, (postings) => postings.collect(from, to, add))
    for (const tag of node.tags) this.byTag.get(tag)?.collect(from, to, add)
    for (const group of node.groups) this.byGroup.get(group)?.collect(from, to, add)
    return found
  }
}
