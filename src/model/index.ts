// The domain model: elements, changes and the pure functions over them. Imports nothing of ours.
export * from './element.js'
export * from './change.js'
export * from './baseline-comparator.js'
export * from './content-diff.js'
export * from './path-escape.js'
