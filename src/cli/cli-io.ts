// The streams a command writes to, passed in so commands are testable.

export interface OutputStream {
  write(text: string): unknown
  readonly isTTY?: boolean | undefined
  readonly columns?: number | undefined
}

export interface CliIo {
  readonly stdout: OutputStream
  readonly stderr: OutputStream
  /** Environment the configuration is resolved from. */
  readonly env: NodeJS.ProcessEnv
}
