// What a hash worker reports about one path: its element, ready to store or compare, or why it
// could not be read. Plain data, so it crosses the worker boundary cheaply.
import type { SerializedElement } from '../model/index.js'

/** [mode, uid, gid, size, mtimeMs, ctimeMs, ino, nlink] */
export type StatTuple = [number, number, number, number, number, number, number, number]

export type NotCheckedReason =
  | 'vanished'
  | 'unreadable'
  | 'changed-during-scan'
  | 'other-filesystem'
  | 'pseudo-filesystem'
  | 'rule-path-missing'
  | 'rule-path-through-symlink'

export interface FileReading {
  /** Raw system path (one char per byte). */
  readonly rawPath: string
  /** Absent when the path vanished before it could be looked at. */
  readonly element?: SerializedElement
  /** The path is a directory (readdir did not say so, or it was replaced by one). */
  readonly isDirectory?: boolean
  /** Bytes read and hashed. */
  readonly hashedBytes?: number
  readonly problem?: { readonly reason: NotCheckedReason; readonly detail: string }
}

/** Per-item flags sent with each path. */
export const READ_HASH = 1
export const READ_CONTENT = 2

export interface HashRequest {
  readonly prefix: string
  readonly paths: readonly string[]
  readonly flags: readonly number[]
  /** Index into the worker's attribute sets (one per rule). */
  readonly attributeSets: readonly number[]
}

/** What every hash worker of one scan is started with. */
export interface HashWorkerSetup {
  readonly contentMaxBytes: number
  readonly attributeSets: readonly (readonly string[])[]
  readonly users: readonly [number, string][]
  readonly groups: readonly [number, string][]
}
