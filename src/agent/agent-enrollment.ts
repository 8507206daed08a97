// Makes sure the agent holds a credential for the machine it runs on: enrolls with the token
// when it has none, and treats a credential issued to another machine (a clone of a template)
// as none — its state is the template's and is discarded, never used.
import { DriftwatchError } from '../errors/index.js'
import type { NodeIdentity } from '../store/index.js'
import type { AgentCredential, AgentState } from './agent-state.js'
import { enrollAgent } from './console-client.js'
import { parseEnrollmentToken } from './enrollment-token.js'
import { isOtherMachine } from './machine-identity.js'

export interface EnrollmentInput {
  readonly state: AgentState
  readonly identity: NodeIdentity
  /** The console URL given on the command line; the enrolled one is used when absent. */
  readonly console?: string | undefined
  readonly enrollmentToken?: string | undefined
  readonly timeoutMs?: number | undefined
  readonly log: (line: string) => void
}

/**
 * The credential to push with, enrolling first where needed.
 *
 * @example const credential = await ensureEnrolled({ state, identity, console: url, enrollmentToken, log })
 * @throws DriftwatchError DW_ERR_NODE_IDENTITY_MISMATCH (a clone without a token), DW_ERR_USAGE
 *   (not enrolled and no token), DW_ERR_ENROLLMENT_REFUSED, DW_ERR_CONSOLE_*
 */
export async function ensureEnrolled(input: EnrollmentInput): Promise<AgentCredential> {
  const { state, identity } = input
  const existing = state.credential()
  if (existing !== undefined && isOtherMachine(existing.identity, identity) !== true) {
    return existing
  }
  if (existing !== undefined) {
    const machine = identity.productUuid ?? identity.machineId ?? identity.hostname
    if (input.enrollmentToken === undefined) {
      throw new DriftwatchError(
        'DW_ERR_NODE_IDENTITY_MISMATCH',
        `this machine (${machine}) is a clone of the one enrolled as node ${existing.nodeId}: ` +
          `it will not push with that node's credential; run the agent with --enroll TOKEN ` +
          `(a template token) to enroll it as a node of its own`,
      )
    }
    input.log(
      `this machine (${machine}) is a clone of the one enrolled as node ${existing.nodeId}: ` +
        `discarding that node's agent state and enrolling anew`,
    )
    state.forgetNode()
  }
  return enroll(input, existing?.console)
}

/**
 * Enrolls even where a credential exists: for when the console says this machine is not the
 * node's. The spool is kept (it was collected here); what was acknowledged belongs to the old node.
 */
export async function enrollAgain(input: EnrollmentInput): Promise<AgentCredential> {
  const previous = input.state.credential()
  input.state.forgetAcknowledged()
  return enroll(input, previous?.console)
}

async function enroll(input: EnrollmentInput, previousConsole?: string): Promise<AgentCredential> {
  const consoleText = input.console ?? previousConsole
  if (input.enrollmentToken === undefined || consoleText === undefined) {
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      `the agent is not enrolled (no credential in ${input.state.directory}): ` +
        'give --console URL and --enroll TOKEN',
    )
  }
  const console = consoleUrl(consoleText)
  const token = parseEnrollmentToken(input.enrollmentToken)
  if (console.protocol === 'http:' && !isLoopback(console.hostname)) {
    input.log(
      `warning: ${console.origin} is plain HTTP: the token and the credential cross the network unencrypted`,
    )
  }
  const enrollment = await enrollAgent(
    console,
    token,
    { name: input.identity.hostname, kind: 'host', identity: input.identity },
    input.timeoutMs,
  )
  const credential: AgentCredential = {
    console: console.href,
    nodeId: enrollment.nodeId,
    credential: enrollment.credential,
    identity: input.identity,
    ...(enrollment.caCertificate === undefined ? {} : { caCertificate: enrollment.caCertificate }),
  }
  // Written before anything else: the token is spent now, and the credential is all that is left.
  input.state.saveCredential(credential)
  input.log(`enrolled with ${console.origin} as node ${enrollment.nodeId}`)
  return credential
}

/**
 * @example consoleUrl('https://console.example:8443') // URL
 * @throws DriftwatchError DW_ERR_USAGE
 */
export function consoleUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new DriftwatchError('DW_ERR_USAGE', `--console ${text}: not a URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DriftwatchError('DW_ERR_USAGE', `--console ${text}: use http:// or https://`)
  }
  if (url.username !== '' || url.password !== '') {
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      '--console: the URL must not carry a user or password',
    )
  }
  return url
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname)
}
