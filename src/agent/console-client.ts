// The console's agent API (docs/agent.md): enroll, fetch the collection spec, push a snapshot.
// Errors come back as RFC 9457 problem documents whose `code` is a DW_ERR_* string.
import { loadRulesFileModule } from '../collect/index.js'
import { DriftwatchError, ERROR_CATALOGUE, type ErrorCode } from '../errors/index.js'
import type { IncomingSnapshot, NodeIdentity } from '../store/index.js'
import type { FileProvenance } from '../reconcile/index.js'
import type { AgentCredential, CollectionSpec } from './agent-state.js'
import { certificateFingerprint } from '../integrity/index.js'
import { requestConsole, type ConsoleResponse, type ConsoleTrust } from './console-request.js'
import type { EnrollmentToken } from './enrollment-token.js'

/** A problem document as the console sends it. */
export interface ConsoleProblem {
  readonly status: number
  readonly code: string | undefined
  readonly title: string | undefined
  readonly detail: string | undefined
  /** With DW_ERR_SNAPSHOT_OUT_OF_ORDER: the newest sequence the console holds for the node. */
  readonly lastSequence: number | undefined
}

export type PushOutcome =
  | {
      readonly accepted: true
      readonly status: 'stored' | 'duplicate'
      readonly snapshotId: number
      /** The sequence the console stored the snapshot under. */
      readonly sequence: number
      readonly changes: number
    }
  | { readonly accepted: false; readonly problem: ConsoleProblem }

export interface Enrollment {
  readonly nodeId: number
  readonly credential: string
  readonly caCertificate?: string | undefined
}

/**
 * Exchanges an enrollment token for the node's own credential. Over HTTPS the console must show
 * a certificate issued by the CA the token names before the token is sent, and must return that
 * CA's certificate.
 *
 * @example await enrollAgent(new URL('https://console:8443'), parseEnrollmentToken(text), { name: 'web-01', kind: 'host', identity })
 * @throws DriftwatchError DW_ERR_ENROLLMENT_REFUSED, DW_ERR_CONSOLE_IDENTITY, DW_ERR_CONSOLE_UNREACHABLE
 */
export async function enrollAgent(
  console: URL,
  token: EnrollmentToken,
  request: { name: string; kind: string; identity: NodeIdentity },
  timeoutMs?: number,
): Promise<Enrollment> {
  const trust: ConsoleTrust =
    token.caFingerprint === undefined
      ? { kind: 'plain' }
      : { kind: 'fingerprint', caFingerprint: token.caFingerprint }
  const response = await requestConsole({
    console,
    method: 'POST',
    path: '/api/v1/agents/enroll',
    trust,
    body: { token: token.token, ...request },
    timeoutMs,
  })
  if (response.status !== 201 && response.status !== 200) {
    throw problemError(readProblem(response), 'DW_ERR_ENROLLMENT_REFUSED', 'enrollment refused')
  }
  const body = (response.body ?? {}) as Partial<Enrollment>
  if (typeof body.nodeId !== 'number' || typeof body.credential !== 'string') {
    throw new DriftwatchError(
      'DW_ERR_CONSOLE_UNREACHABLE',
      `${console.origin} answered the enrollment with something that is not an enrollment`,
    )
  }
  const caCertificate = typeof body.caCertificate === 'string' ? body.caCertificate : undefined
  if (token.caFingerprint !== undefined && !hasFingerprint(caCertificate, token.caFingerprint)) {
    throw new DriftwatchError(
      'DW_ERR_CONSOLE_IDENTITY',
      `${console.origin} enrolled the agent but returned a CA certificate other than the one the token names`,
    )
  }
  return {
    nodeId: body.nodeId,
    credential: body.credential,
    ...(token.caFingerprint === undefined ? {} : { caCertificate }),
  }
}

function hasFingerprint(pem: string | undefined, fingerprint: string): boolean {
  try {
    return pem !== undefined && certificateFingerprint(pem) === fingerprint
  } catch {
    return false
  }
}

/** The console as one enrolled agent sees it: every request carries the node's credential. */
export class ConsoleClient {
  private readonly trust: ConsoleTrust

  /**
   * @example new ConsoleClient(new URL(credential.console), credential)
   */
  constructor(
    readonly console: URL,
    private readonly credential: AgentCredential,
    private readonly timeoutMs?: number,
  ) {
    this.trust =
      credential.caCertificate === undefined
        ? { kind: 'plain' }
        : { kind: 'ca', caCertificate: credential.caCertificate }
  }

  /**
   * @throws DriftwatchError DW_ERR_UNAUTHENTICATED (credential revoked), DW_ERR_RULES_INVALID,
   *   DW_ERR_CONSOLE_UNREACHABLE, DW_ERR_CONSOLE_IDENTITY
   */
  async fetchSpec(): Promise<CollectionSpec> {
    const response = await this.request('GET', '/api/v1/agents/spec')
    if (response.status !== 200) {
      throw problemError(readProblem(response), 'DW_ERR_CONSOLE_UNREACHABLE', 'spec refused')
    }
    const body = (response.body ?? {}) as { rules?: unknown; intervalSeconds?: unknown }
    const interval = body.intervalSeconds
    if (typeof interval !== 'number' || !Number.isFinite(interval) || interval < 1) {
      throw new DriftwatchError(
        'DW_ERR_RULES_INVALID',
        `${this.console.origin}: the collection spec has no valid intervalSeconds`,
      )
    }
    // JSON is YAML: the rules schema checks the spec as it checks a rules file.
    const { parseFileRules } = await loadRulesFileModule()
    const rules = parseFileRules(
      JSON.stringify(body.rules ?? null),
      'the console’s collection spec',
    )
    return { rules, intervalSeconds: interval }
  }

  /**
   * Sends one snapshot. A refusal is returned, not thrown: the caller decides what becomes of
   * the spooled snapshot.
   *
   * @throws DriftwatchError DW_ERR_CONSOLE_UNREACHABLE, DW_ERR_CONSOLE_IDENTITY
   */
  /** Pushes a snapshot, with the provenance of the changed files it sends (package records). */
  async pushSnapshot(
    identity: NodeIdentity,
    snapshot: IncomingSnapshot,
    provenance: readonly FileProvenance[] = [],
  ): Promise<PushOutcome> {
    const response = await this.request('POST', '/api/v1/agents/snapshots', {
      identity,
      snapshot,
      ...(provenance.length === 0 ? {} : { provenance }),
    })
    const body = (response.body ?? {}) as Record<string, unknown>
    if (response.status === 200 || response.status === 201) {
      return {
        accepted: true,
        status: body['status'] === 'duplicate' ? 'duplicate' : 'stored',
        snapshotId: typeof body['snapshotId'] === 'number' ? body['snapshotId'] : 0,
        sequence: typeof body['sequence'] === 'number' ? body['sequence'] : snapshot.sequence,
        changes: typeof body['changes'] === 'number' ? body['changes'] : 0,
      }
    }
    return { accepted: false, problem: readProblem(response) }
  }

  private request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ConsoleResponse> {
    return requestConsole({
      console: this.console,
      method,
      path,
      trust: this.trust,
      bearer: this.credential.credential,
      body,
      timeoutMs: this.timeoutMs,
    })
  }
}

/**
 * Reads a problem document, tolerating a console (or a proxy in front of it) that sends none.
 *
 * @example readProblem({ status: 409, body: { code: 'DW_ERR_SNAPSHOT_OUT_OF_ORDER', lastSequence: 7 } }).lastSequence // 7
 */
function readProblem(response: ConsoleResponse): ConsoleProblem {
  const body = (
    typeof response.body === 'object' && response.body !== null ? response.body : {}
  ) as Record<string, unknown>
  const text = (name: string): string | undefined =>
    typeof body[name] === 'string' ? body[name] : undefined
  const lastSequence = body['lastSequence']
  return {
    status: response.status,
    code: text('code'),
    title: text('title'),
    detail: text('detail'),
    lastSequence: typeof lastSequence === 'number' ? lastSequence : undefined,
  }
}

/** One line for people: the detail, else the title, else the status. */
/** The console's words alone, for an error that carries the same code itself. */
export function problemDetail(problem: ConsoleProblem): string {
  return problem.detail ?? problem.title ?? `HTTP ${problem.status}`
}

export function describeProblem(problem: ConsoleProblem): string {
  const what = problem.detail ?? problem.title ?? `HTTP ${problem.status}`
  return problem.code === undefined ? what : `${what} [${problem.code}]`
}

/**
 * The error a refusal means: 401 is a refused credential or token; 5xx is a console that cannot
 * serve now (retried like a network failure); otherwise the console's own code where it is one of
 * ours.
 */
function problemError(problem: ConsoleProblem, fallback: ErrorCode, what: string): DriftwatchError {
  const detail = `${what}: ${describeProblem(problem)}`
  if (problem.status >= 500 || problem.status === 429) {
    return new DriftwatchError('DW_ERR_CONSOLE_UNREACHABLE', `console cannot answer now: ${detail}`)
  }
  if (problem.status === 401) {
    return fallback === 'DW_ERR_ENROLLMENT_REFUSED'
      ? new DriftwatchError('DW_ERR_ENROLLMENT_REFUSED', detail)
      : new DriftwatchError(
          'DW_ERR_UNAUTHENTICATED',
          `the console no longer accepts this agent's credential (revoked?): ${detail}`,
        )
  }
  const code =
    problem.code !== undefined && problem.code in ERROR_CATALOGUE ? problem.code : fallback
  return new DriftwatchError(code as ErrorCode, detail)
}
