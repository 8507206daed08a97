// The one catalogue of driftwatch errors. Codes are stable and never reused; each has the CLI
// exit status and the HTTP status it maps to. docs/errors.md documents every code (a test checks).

export interface ErrorDefinition {
  readonly title: string
  readonly exitCode: number
  readonly httpStatus: number
}

/** CLI exit statuses: documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  changesFound: 1,
  usage: 2,
  failure: 3,
  integrity: 4,
} as const

export const ERROR_CATALOGUE = {
  DW_ERR_USAGE: { title: 'Invalid command line', exitCode: EXIT.usage, httpStatus: 400 },
  DW_ERR_RULES_SYNTAX: {
    title: 'Rules file is not valid YAML',
    exitCode: EXIT.usage,
    httpStatus: 400,
  },
  DW_ERR_RULES_INVALID: {
    title: 'Rules file does not match the rules schema',
    exitCode: EXIT.usage,
    httpStatus: 400,
  },
  DW_ERR_POLICY_SYNTAX: {
    title: 'Policy file is not valid YAML',
    exitCode: EXIT.usage,
    httpStatus: 400,
  },
  DW_ERR_POLICY_INVALID: {
    title: 'Policy file does not match the policy language',
    exitCode: EXIT.usage,
    httpStatus: 400,
  },
  DW_ERR_POLICY_NOT_FOUND: {
    title: 'No policy with that id or file',
    exitCode: EXIT.usage,
    httpStatus: 404,
  },
  DW_ERR_WAIVER_INVALID: {
    title: 'Waivers file is not valid',
    exitCode: EXIT.usage,
    httpStatus: 400,
  },
  DW_ERR_ROOT_NOT_FOUND: {
    title: 'The root directory to scan does not exist or is not a directory',
    exitCode: EXIT.usage,
    httpStatus: 400,
  },
  DW_ERR_DB_NOT_INITIALIZED: {
    title: 'The database holds no baseline yet',
    exitCode: EXIT.usage,
    httpStatus: 409,
  },
  DW_ERR_DB_ALREADY_INITIALIZED: {
    title: 'The database already holds a baseline',
    exitCode: EXIT.usage,
    httpStatus: 409,
  },
  DW_ERR_DB_CORRUPT: {
    title: 'The database is damaged or is not a driftwatch database',
    exitCode: EXIT.integrity,
    httpStatus: 500,
  },
  DW_ERR_BASELINE_TAMPERED: {
    title: 'The baseline does not match its signature',
    exitCode: EXIT.integrity,
    httpStatus: 500,
  },
  DW_ERR_KEY_MISSING: { title: 'No signing key was found', exitCode: EXIT.usage, httpStatus: 500 },
  DW_ERR_KEY_INVALID: {
    title: 'The signing key cannot be read',
    exitCode: EXIT.usage,
    httpStatus: 500,
  },
  DW_ERR_KEY_MISMATCH: {
    title: 'The baseline was signed with a different key',
    exitCode: EXIT.integrity,
    httpStatus: 500,
  },
  DW_ERR_CHECK_UNSIGNED: {
    title: 'The check was made without the private key, so its findings cannot be accepted',
    exitCode: EXIT.usage,
    httpStatus: 409,
  },
  DW_ERR_CHECK_TAMPERED: {
    title: 'The record of a check does not match its signature',
    exitCode: EXIT.integrity,
    httpStatus: 500,
  },
  DW_ERR_NOTHING_TO_ACCEPT: {
    title: 'There is no checked change to accept',
    exitCode: EXIT.usage,
    httpStatus: 409,
  },
  DW_ERR_UNKNOWN_ELEMENT: {
    title: 'The element is not among the changes found by the last check',
    exitCode: EXIT.usage,
    httpStatus: 404,
  },
  DW_ERR_IO: {
    title: 'A file could not be read or written',
    exitCode: EXIT.failure,
    httpStatus: 500,
  },
  DW_ERR_INTERNAL: { title: 'Internal error', exitCode: EXIT.failure, httpStatus: 500 },
} as const satisfies Record<string, ErrorDefinition>

export type ErrorCode = keyof typeof ERROR_CATALOGUE

/** An error driftwatch expects and explains: it carries a catalogue code. */
export class DriftwatchError extends Error {
  readonly code: ErrorCode
  readonly definition: ErrorDefinition

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'DriftwatchError'
    this.code = code
    this.definition = ERROR_CATALOGUE[code]
  }
}
