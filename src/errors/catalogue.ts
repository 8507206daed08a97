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
  DW_ERR_NOT_FOUND: { title: 'No such resource', exitCode: EXIT.usage, httpStatus: 404 },
  DW_ERR_PAYLOAD_INVALID: {
    title: 'The request body or query does not match what the API expects',
    exitCode: EXIT.usage,
    httpStatus: 400,
  },
  DW_ERR_PAYLOAD_TOO_LARGE: {
    title: 'The request body is larger than the console accepts',
    exitCode: EXIT.usage,
    httpStatus: 413,
  },
  DW_ERR_UNAUTHENTICATED: {
    title: 'No valid session, API token or agent credential',
    exitCode: EXIT.usage,
    httpStatus: 401,
  },
  DW_ERR_FORBIDDEN: {
    title: 'The role or node does not allow this',
    exitCode: EXIT.usage,
    httpStatus: 403,
  },
  DW_ERR_RATE_LIMITED: {
    title: 'Too many attempts: wait and try again',
    exitCode: EXIT.failure,
    httpStatus: 429,
  },
  DW_ERR_ENROLLMENT_REFUSED: {
    title: 'The enrollment token is unknown, used or expired',
    exitCode: EXIT.usage,
    httpStatus: 401,
  },
  DW_ERR_SNAPSHOT_OUT_OF_ORDER: {
    title: "The snapshot is not newer than the node's newest stored snapshot",
    exitCode: EXIT.failure,
    httpStatus: 409,
  },
  DW_ERR_SNAPSHOT_BASE_MISMATCH: {
    title: 'The delta snapshot was taken against a snapshot the console does not have as newest',
    exitCode: EXIT.failure,
    httpStatus: 409,
  },
  DW_ERR_NODE_IDENTITY_MISMATCH: {
    title: 'The agent runs on a different machine than the one its credential was issued to',
    exitCode: EXIT.failure,
    httpStatus: 409,
  },
  DW_ERR_CONSOLE_UNREACHABLE: {
    title: 'The console could not be reached or did not answer',
    exitCode: EXIT.failure,
    httpStatus: 503,
  },
  DW_ERR_CONSOLE_IDENTITY: {
    title: "The console's certificate does not match the pinned fingerprint",
    exitCode: EXIT.integrity,
    httpStatus: 502,
  },
  DW_ERR_AUDIT_TAMPERED: {
    title: "The audit log's hash chain is broken: an entry was edited or deleted",
    exitCode: EXIT.integrity,
    httpStatus: 500,
  },
  DW_ERR_EVIDENCE_TAMPERED: {
    title: 'An evidence export does not match its signed manifest',
    exitCode: EXIT.integrity,
    httpStatus: 500,
  },
  DW_ERR_HYPERVISOR_UNREACHABLE: {
    title: 'The hypervisor could not be reached, or refused the login or the session',
    exitCode: EXIT.failure,
    httpStatus: 502,
  },
  DW_ERR_HYPERVISOR_RESPONSE: {
    title: 'The hypervisor answered with something that could not be understood',
    exitCode: EXIT.failure,
    httpStatus: 502,
  },
  DW_ERR_COLLECTION_RUNNING: {
    title: 'Another console is collecting that hypervisor now',
    exitCode: EXIT.failure,
    httpStatus: 409,
  },
  DW_ERR_INTERNAL: { title: 'Internal error', exitCode: EXIT.failure, httpStatus: 500 },
} as const satisfies Record<string, ErrorDefinition>

export type ErrorCode = keyof typeof ERROR_CATALOGUE

/** An error driftwatch expects and explains: it carries a catalogue code. */
export class DriftwatchError extends Error {
  readonly code: ErrorCode
  readonly definition: ErrorDefinition
  /** Machine-readable facts for the API's problem document (`lastSequence`, field errors …). */
  readonly details: Readonly<Record<string, unknown>>

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Readonly<Record<string, unknown>> },
  ) {
    super(message, options)
    this.name = 'DriftwatchError'
    this.code = code
    this.definition = ERROR_CATALOGUE[code]
    this.details = options?.details ?? {}
  }
}
