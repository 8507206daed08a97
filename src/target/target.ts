// Target: the read-only view through which a node is inspected (DESIGN.md). Every collector reads
// through one, so the same code serves the live host and a root filesystem held in a directory.

export type TargetKind = 'local' | 'directory'

export type EntryType = 'file' | 'directory' | 'symlink' | 'other'

export interface Target {
  readonly kind: TargetKind
  /** For people: "live host" or "root filesystem in /srv/images/web". */
  readonly description: string
  /** Whether this is the running system (live readings such as /proc make sense). */
  readonly live: boolean
  /**
   * The host directory that holds the system's `/`, as a raw byte string (one char per byte,
   * what `fs` returns with encoding `latin1`). `/` for the live host.
   */
  readonly rawRoot: string
  /** The host path, as raw bytes, of a path as the system inside sees it. */
  hostPath(rawSystemPath: string): string
  /**
   * Reads a file as the system inside sees it: symlinks are resolved inside the root, never
   * out of it. Returns undefined when the file does not exist.
   * Throws when it is not a regular file or is larger than `maxBytes`.
   */
  readFile(systemPath: string, maxBytes: number): Buffer | undefined
  /**
   * Lists a directory as the system inside sees it (symlinks resolved inside the root). Names
   * are display strings (non-UTF-8 bytes escaped as `\xNN`), sorted. Undefined when absent or
   * not a directory.
   */
  listDirectory(systemPath: string): string[] | undefined
  /** A symlink's target, without following it; undefined when absent or not a symlink. */
  readLink(systemPath: string): string | undefined
  /** What is at the path, without following a final symlink; undefined when absent. */
  entryType(systemPath: string): EntryType | undefined
  /** System paths of mount points of pseudo filesystems (proc, sysfs …) inside the target. */
  pseudoFilesystemMounts(): ReadonlySet<string>
}
