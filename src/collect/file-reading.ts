// What a hash worker reports about one path: its lstat, link target, digest, kept content, or
// why it could not be read. Plain data, so it crosses the worker boundary cheaply.

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
  readonly stat?: StatTuple
  /** Raw symlink target. */
  readonly target?: string
  readonly sha256?: string
  /** Text content, when asked for and the file is small UTF-8 text. */
  readonly content?: string
  readonly problem?: { readonly reason: NotCheckedReason; readonly detail: string }
}

/** Per-item flags sent with each path. */
export const READ_HASH = 1
export const READ_CONTENT = 2

export interface HashRequest {
  readonly prefix: string
  readonly paths: readonly string[]
  readonly flags: readonly number[]
}
