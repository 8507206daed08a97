// The cursor a poller hands back after reading pages by offset, ordered by "last updated".
//
// Offset paging over a changing set can skip a record: when a ticket already read is updated
// between two page requests it moves to the end, everything after it shifts one place forward,
// and the record that sat first on the next page slides onto the page already read. That record
// was never seen, and its update time is no newer than anything on the page the moved ticket was
// first seen on. So when a ticket shows up twice, the cursor stops at the newest update time up to
// that page: the next poll (which reads `>=` the cursor) reads the slid record again.

export interface PagedRecord {
  readonly ref: string
  /** A time that sorts as text: ServiceNow's `YYYY-MM-DD HH:MM:SS`, or ISO 8601 in UTC. */
  readonly updated: string
}

export class PagedCursor {
  readonly #pageNewest: string[] = []
  readonly #firstPage = new Map<string, number>()
  #limitPage: number | undefined

  constructor(private readonly previous: string | undefined) {}

  /** Records one page, in the order it came; says how many of its records were not seen before. */
  addPage(records: readonly PagedRecord[]): number {
    const page = this.#pageNewest.length
    let newest = ''
    let unseen = 0
    for (const record of records) {
      const firstPage = this.#firstPage.get(record.ref)
      if (firstPage === undefined) {
        this.#firstPage.set(record.ref, page)
        unseen += 1
      } else if (firstPage < page) this.#limitPage = Math.min(this.#limitPage ?? page, firstPage)
      if (record.updated > newest) newest = record.updated
    }
    this.#pageNewest.push(newest)
    return unseen
  }

  /**
   * The cursor to store: the newest update time read, held back when the set shifted underneath.
   *
   * @example const paged = new PagedCursor(undefined); paged.addPage([{ ref: 'CHG1', updated: '2026-11-27 10:00:00' }]); paged.cursor // → '2026-11-27 10:00:00'
   */
  get cursor(): string | undefined {
    const trusted =
      this.#limitPage === undefined
        ? this.#pageNewest
        : this.#pageNewest.slice(0, this.#limitPage + 1)
    let cursor = this.previous
    for (const newest of trusted)
      if (newest !== '' && (cursor === undefined || newest > cursor)) cursor = newest
    return cursor
  }
}
