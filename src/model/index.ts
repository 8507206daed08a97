// The domain model: elements, changes and the pure functions over them. Imports nothing of ours.
export * from './element.js'
export * from './change.js'
export * from './baseline-comparator.js'
/** The content differ loads the `diff` library: import it only when there is content to diff. */
export const loadContentDiff = (): Promise<typeof import('./content-diff.js')> =>
  import('./content-diff.js')
export * from './path-escape.js'
export * from './audit-chain.js'
export * from './lifecycle-verb.js'
export * from './durations.js'
export * from './uncertain-keys.js'
