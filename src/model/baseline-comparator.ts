// Compares a stream of observed elements with a baseline held as attribute digests, so a check
// of a large tree holds one short string per baseline element; the full attributes of the few
// elements that differ are looked up, and must match their digest.
import { diffElement, markRenames, type Change } from './change.js'
import {
  attributesDigest,
  deserializeElement,
  parseAttributes,
  type Attributes,
  type SerializedElement,
} from './element.js'

/** Looks up the serialized attributes of a baseline element. */
export type BaselineAttributesLookup = (key: string) => string | undefined

export class BaselineComparator {
  private readonly pending: Map<string, string>
  private readonly found: Change[] = []

  /**
   * @param baseline element key → {@link attributesDigest} of its attributes
   * @param lookup the full attributes of a baseline element, for the elements that differ
   */
  constructor(
    baseline: Map<string, string>,
    private readonly lookup: BaselineAttributesLookup,
  ) {
    this.pending = baseline
  }

  /** Compares one observed element; returns its change, if any. */
  observe(element: SerializedElement): Change | undefined {
    const baselineDigest = this.pending.get(element.key)
    if (baselineDigest !== undefined) this.pending.delete(element.key)
    if (baselineDigest === element.digest && element.unverified === undefined) return undefined
    const baseline =
      baselineDigest === undefined
        ? undefined
        : { key: element.key, attributes: this.baselineAttributes(element.key, baselineDigest) }
    const change = diffElement(baseline, deserializeElement(element))
    if (change !== undefined) this.found.push(change)
    return change
  }

  /**
   * Ends the comparison: every baseline element not observed is removed, except those under
   * `notRemoved` (elements that could not be looked at, so their absence proves nothing).
   */
  finish(notRemoved: (key: string) => boolean = () => false): Change[] {
    for (const [key, digest] of this.pending) {
      if (notRemoved(key)) continue
      const change = diffElement(
        { key, attributes: this.baselineAttributes(key, digest) },
        undefined,
      )
      if (change !== undefined) this.found.push(change)
    }
    this.pending.clear()
    return markRenames(this.found).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  }

  private baselineAttributes(key: string, digest: string): Attributes {
    const serialized = this.lookup(key)
    if (serialized === undefined || attributesDigest(serialized) !== digest) {
      throw new BaselineMismatchError(key)
    }
    return parseAttributes(serialized)
  }
}

/** The stored attributes of a baseline element do not match its signed digest. */
export class BaselineMismatchError extends Error {
  constructor(readonly key: string) {
    super(`the stored attributes of ${key} do not match the signed baseline`)
    this.name = 'BaselineMismatchError'
  }
}
