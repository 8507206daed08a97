// Compares a stream of observed elements with a baseline held as serialized attributes, so a
// check of a large tree holds one compact string per baseline element and only the changes.
import { diffElement, markRenames, type Change } from './change.js'
import { deserializeElement, parseAttributes, type SerializedElement } from './element.js'

export class BaselineComparator {
  private readonly pending: Map<string, string>
  private readonly found: Change[] = []

  /** @param baseline element key → serialized attributes ({@link serializeAttributes}) */
  constructor(baseline: Map<string, string>) {
    this.pending = baseline
  }

  /** Compares one observed element; returns its change, if any. */
  observe(element: SerializedElement): Change | undefined {
    const serializedBaseline = this.pending.get(element.key)
    if (serializedBaseline !== undefined) this.pending.delete(element.key)
    if (serializedBaseline === element.attributes && element.unverified === undefined)
      return undefined
    const baseline =
      serializedBaseline === undefined
        ? undefined
        : { key: element.key, attributes: parseAttributes(serializedBaseline) }
    const change = diffElement(baseline, deserializeElement(element))
    if (change !== undefined) this.found.push(change)
    return change
  }

  /**
   * Ends the comparison: every baseline element not observed is removed, except those under
   * `notRemoved` (elements that could not be looked at, so their absence proves nothing).
   */
  finish(notRemoved: (key: string) => boolean = () => false): Change[] {
    for (const [key, serialized] of this.pending) {
      if (notRemoved(key)) continue
      const change = diffElement({ key, attributes: parseAttributes(serialized) }, undefined)
      if (change !== undefined) this.found.push(change)
    }
    this.pending.clear()
    return markRenames(this.found).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  }
}
