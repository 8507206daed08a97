// Uncertain key prefixes: where a collection could not look (a directory it could not list, a
// source it could not read), an element's absence proves nothing about its removal.

/**
 * Whether a key lies under one of the prefixes whose absence proves nothing.
 *
 * @example isUncertain('file:/root/.ssh/id', ['file:/root/']) // true
 */
export function isUncertain(key: string, uncertain: readonly string[]): boolean {
  return uncertain.some((prefix) => key.startsWith(prefix))
}
