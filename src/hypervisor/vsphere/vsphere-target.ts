// What `vsphere:https://…` names: the SDK endpoint, the user and password (from the URL or the
// environment), and how the server's certificate is trusted (`?fingerprint=` or `?insecure=true`).
import { DriftwatchError } from '../../errors/index.js'
import type { VsphereTrust } from './soap-transport.js'

export interface VsphereTarget {
  /** The SDK endpoint without credentials or options, e.g. `https://vcenter.example/sdk`. */
  readonly endpoint: URL
  readonly userName: string
  readonly password: string
  readonly trust: VsphereTrust
}

/** Credentials from the environment, used where the URL names none. */
export interface VsphereCredentialsEnvironment {
  readonly DRIFTWATCH_VSPHERE_USER?: string | undefined
  readonly DRIFTWATCH_VSPHERE_PASSWORD?: string | undefined
}

const OPTIONS = new Set(['fingerprint', 'insecure'])

/**
 * Parses the URL of a vCenter or ESXi host. The password is best given in
 * DRIFTWATCH_VSPHERE_PASSWORD: a password in the URL shows in process lists and shell history.
 *
 * @example parseVsphereTarget('https://auditor%40vsphere.local@vc.example?fingerprint=ab12…', process.env)
 * @throws DriftwatchError DW_ERR_USAGE naming what is wrong, never the password.
 */
export function parseVsphereTarget(
  text: string,
  environment: VsphereCredentialsEnvironment,
): VsphereTarget {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw usage(`"${withoutPassword(text)}" is not a URL (expected https://host/sdk)`)
  }
  if (url.protocol !== 'https:') {
    throw usage(
      `${withoutPassword(text)}: vSphere is reached over https only (the login would travel in clear)`,
    )
  }
  const shown = displayUrl(url)
  for (const name of url.searchParams.keys()) {
    if (!OPTIONS.has(name)) {
      throw usage(`${shown}: unknown option "${name}" (known: fingerprint, insecure)`)
    }
  }
  const userName =
    url.username === '' ? environment.DRIFTWATCH_VSPHERE_USER : decodeURIComponent(url.username)
  const password =
    url.password === '' ? environment.DRIFTWATCH_VSPHERE_PASSWORD : decodeURIComponent(url.password)
  if (userName === undefined || userName === '') {
    throw usage(
      `${shown}: no user: put it in the URL (https://user@host) or DRIFTWATCH_VSPHERE_USER`,
    )
  }
  if (password === undefined || password === '') {
    throw usage(`${shown}: no password for ${userName}: set DRIFTWATCH_VSPHERE_PASSWORD`)
  }
  return { endpoint: new URL(shown), userName, password, trust: readTrust(url, shown) }
}

function readTrust(url: URL, shown: string): VsphereTrust {
  const fingerprint = url.searchParams.get('fingerprint')
  const insecure = url.searchParams.get('insecure')
  if (insecure !== null && insecure !== 'true' && insecure !== 'false') {
    throw usage(`${shown}: insecure must be true or false, not "${insecure}"`)
  }
  if (fingerprint !== null && insecure === 'true') {
    throw usage(`${shown}: give either a fingerprint to pin or insecure=true, not both`)
  }
  if (fingerprint !== null) {
    const sha256 = fingerprint.replace(/:/g, '').toLowerCase()
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      throw usage(`${shown}: fingerprint must be a SHA-256 (64 hex digits, colons allowed)`)
    }
    return { kind: 'fingerprint', sha256 }
  }
  return insecure === 'true' ? { kind: 'insecure' } : { kind: 'system' }
}

/** The endpoint, as messages show it too: no user, no password, no options. */
export function displayUrl(url: URL): string {
  const shown = new URL(url.origin)
  shown.pathname = url.pathname === '/' ? '/sdk' : url.pathname
  return shown.href
}

/** The text without whatever precedes an `@` in its authority: a user and a password. */
function withoutPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^@/]*@/i, '$1')
}

function usage(message: string): DriftwatchError {
  return new DriftwatchError('DW_ERR_USAGE', `vsphere:${message}`)
}
