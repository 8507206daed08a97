// Which system elements a reader looks at — the keys and key globs an assessment's checks read —
// so that collectors can leave out what nobody reads: the 35 sysctls a policy names instead of
// all 1,300 in /proc/sys, no network interfaces for a policy that asks about ports only.

/** Characters that end a glob's literal prefix (as the policy engine's globs read them). */
const GLOB_CHARACTERS = /[*?[\]{}()!+@\\]/

/**
 * A selection errs on the side of more: a glob selects every key that starts with its literal
 * part (`user:*` selects every `user:` key, `package:libc++1:*` every key from `package:libc`
 * on), so whatever the glob would match is always among what is collected.
 *
 * @example
 * const selection = new ElementSelection(['sysctl:net.ipv4.ip_forward'], ['user:*'])
 * selection.wants('user:alice') // true
 * selection.keysUnder('sysctl:') // ['net.ipv4.ip_forward']
 */
export class ElementSelection {
  private readonly keys: ReadonlySet<string>
  /** The keys in order, so that the keys under a prefix are found by a binary search. */
  private readonly sortedKeys: readonly string[]
  private readonly prefixes: readonly string[]

  constructor(keys: Iterable<string>, globs: Iterable<string> = []) {
    this.keys = new Set(keys)
    this.sortedKeys = [...this.keys].sort()
    this.prefixes = [...new Set([...globs].map(literalPrefix))]
  }

  /** Whether an element with this key is selected. */
  wants(key: string): boolean {
    return this.keys.has(key) || this.prefixes.some((prefix) => key.startsWith(prefix))
  }

  /** Whether some selected key may start with `prefix` (`sysctl:`, `port:`). */
  wantsAny(prefix: string): boolean {
    return (
      this.globOverlaps(prefix) ||
      this.sortedKeys[this.firstAtOrAfter(prefix)]?.startsWith(prefix) === true
    )
  }

  /**
   * The selected keys under `prefix`, without it, when they can be listed: undefined when a
   * glob may select keys there that no one named, and then everything there is wanted.
   */
  keysUnder(prefix: string): string[] | undefined {
    if (this.globOverlaps(prefix)) return undefined
    const found: string[] = []
    for (let index = this.firstAtOrAfter(prefix); index < this.sortedKeys.length; index++) {
      const key = this.sortedKeys[index] as string
      if (!key.startsWith(prefix)) break
      found.push(key.slice(prefix.length))
    }
    return found
  }

  /** Whether a glob may select a key that starts with `prefix`. */
  private globOverlaps(prefix: string): boolean {
    return this.prefixes.some((glob) => glob.startsWith(prefix) || prefix.startsWith(glob))
  }

  private firstAtOrAfter(prefix: string): number {
    let low = 0
    let high = this.sortedKeys.length
    while (low < high) {
      const middle = (low + high) >> 1
      if ((this.sortedKeys[middle] as string) < prefix) low = middle + 1
      else high = middle
    }
    return low
  }
}

function literalPrefix(glob: string): string {
  const index = glob.search(GLOB_CHARACTERS)
  return index === -1 ? glob : glob.slice(0, index)
}
