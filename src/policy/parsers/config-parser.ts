// The common shape of the config parsers: pure functions from a file's text (and the other files
// of the same snapshot it includes) to settings, so evaluation never touches a disk.

/** One assignment in a config file, where it was written. */
export interface ConfigSetting {
  readonly key: string
  readonly value: string
  readonly file: string
  /** 1-based; for a setting continued over several lines, the first of them. */
  readonly line: number
}

/** Files the parser may read besides the main one (Include directives), from the snapshot. */
export interface ConfigFiles {
  /** Content of a file, if the snapshot kept it. */
  read(path: string): string | undefined
  /** Paths in the snapshot matching a glob (sorted). */
  list(glob: string): string[]
}

/** A line the parser could not understand, or an include it could not follow. */
export interface ConfigProblem {
  /** `file:line`, or the file alone. */
  readonly path: string
  /** Why, in words of our own: never the line's text, which may hold a secret. */
  readonly detail: string
}

export interface ParsedConfig {
  /** The effective setting for a key (parser's own precedence rule), or undefined. */
  effective(key: string): ConfigSetting | undefined
  /** Every occurrence of the key, in file order (includes expanded in place). */
  all(key: string): ConfigSetting[]
  /** Lines the parser could not understand, and include problems. */
  readonly problems: readonly ConfigProblem[]
}

export interface ConfigParser {
  readonly name: string
  parse(file: string, text: string, files: ConfigFiles): ParsedConfig
}
