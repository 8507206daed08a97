// The protocol between the file collector and its hash workers. Requests and replies are flat
// arrays of strings and numbers: they cross the thread boundary several times faster than
// arrays of objects.

/** [mode, uid, gid, size, mtimeMs, ctimeMs, ino, nlink, rdev] */
export type StatTuple = [number, number, number, number, number, number, number, number, number]

import type { ProblemReason } from '../system/system-collector.js'

export type NotCheckedReason =
  | ProblemReason
  | 'vanished'
  | 'changed-during-scan'
  | 'other-filesystem'
  | 'pseudo-filesystem'
  | 'rule-path-missing'
  | 'rule-path-through-symlink'

/** Per-item flags sent with each path. */
export const READ_HASH = 1
export const READ_CONTENT = 2
/** readdir said this is a regular file: open it (O_NOFOLLOW, O_NONBLOCK) and fstat, no lstat. */
export const KNOWN_REGULAR_FILE = 4

export interface HashRequest {
  readonly prefix: string
  /** Raw system paths (one char per byte). */
  readonly paths: readonly string[]
  readonly flags: readonly number[]
  /** Index into the worker's attribute sets (one per rule). */
  readonly attributeSets: readonly number[]
}

/** Something other than a plain element to say about the path at `index`. */
export interface ReadingExtra {
  readonly index: number
  readonly content?: string
  readonly contentSha256?: string
  readonly unverified?: readonly string[]
  /** The path is a directory (readdir did not say so, or it was replaced by one). */
  readonly isDirectory?: true
  readonly problem?: { readonly reason: NotCheckedReason; readonly detail: string }
}

/** The reply to a HashRequest, item for item. */
export interface HashReply {
  /** Element key, or '' when the path vanished before it could be looked at. */
  readonly keys: string[]
  /** Serialized attributes, '' when vanished. */
  readonly attributes: string[]
  /** Digests of the serialized attributes, '' when vanished. */
  readonly digests: string[]
  /** Bytes read and hashed. */
  readonly hashedBytes: number
  readonly extras: ReadingExtra[]
}

/** What every hash worker of one scan is started with. */
export interface HashWorkerSetup {
  readonly contentMaxBytes: number
  readonly attributeSets: readonly (readonly string[])[]
  readonly users: readonly [number, string][]
  readonly groups: readonly [number, string][]
}
