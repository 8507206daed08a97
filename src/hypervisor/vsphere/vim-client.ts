// A vim25 session: RetrieveServiceContent, Login with the session cookie, method calls whose SOAP
// faults become DriftwatchErrors, and Logout. Operations run through `withSession`, which logs in
// again once when vCenter says the session is gone (expired, or ended by an administrator).
import { DriftwatchError } from '../../errors/index.js'
import {
  MalformedSoapError,
  child,
  childText,
  element,
  parseSoapAnswer,
  readReference,
  referenceElement,
  soapEnvelope,
  type ManagedObjectReference,
  type SoapFault,
  type XmlContent,
  type XmlNode,
} from './soap-xml.js'
import { SoapTransport, type SoapTransportOptions } from './soap-transport.js'

export interface VimClientOptions extends SoapTransportOptions {
  readonly userName: string
  readonly password: string
}

/** The parts of vCenter's ServiceContent that driftwatch uses. */
export interface ServiceContent {
  readonly rootFolder: ManagedObjectReference
  readonly propertyCollector: ManagedObjectReference
  readonly viewManager: ManagedObjectReference
  readonly sessionManager: ManagedObjectReference
  readonly eventManager: ManagedObjectReference | undefined
  /** The server's own advanced settings (an OptionManager); ESXi hosts have one too. */
  readonly setting: ManagedObjectReference | undefined
  readonly about: Readonly<Record<string, string>>
}

const SERVICE_INSTANCE: ManagedObjectReference = {
  type: 'ServiceInstance',
  value: 'ServiceInstance',
}
/** Every vSphere since 6.0 answers this version; later calls speak the server's own. */
const BOOTSTRAP_API_VERSION = '6.0'
/** Faults that mean "log in again": the session expired or was terminated. */
const SESSION_LOST = new Set(['NotAuthenticated'])
/** Faults that mean the server refuses this user, whatever is retried. */
const REFUSED = new Set(['InvalidLogin', 'NoPermission', 'NotSupportedHost', 'InvalidLocale'])

/** The SOAP fault behind a DriftwatchError, for callers that react to one type (`details.faultType`). */
export function faultTypeOf(error: unknown): string | undefined {
  if (!(error instanceof DriftwatchError)) return undefined
  const faultType = error.details['faultType']
  return typeof faultType === 'string' ? faultType : undefined
}

export class VimClient {
  readonly #transport: SoapTransport
  readonly #where: string
  readonly #userName: string
  readonly #password: string
  #apiVersion = BOOTSTRAP_API_VERSION
  #serviceContent: ServiceContent | undefined
  #cookie: string | undefined

  constructor(options: VimClientOptions) {
    this.#transport = new SoapTransport(options)
    this.#where = options.endpoint.href
    this.#userName = options.userName
    this.#password = options.password
  }

  /** The endpoint, without credentials, as errors name it. */
  get where(): string {
    return this.#where
  }

  get userName(): string {
    return this.#userName
  }

  /**
   * Runs `operation` in a logged-in session. When vCenter answers NotAuthenticated (the session
   * expired or was ended), it logs in again and runs the whole operation once more: objects the
   * first attempt created in the old session (views, collectors) are gone with it.
   *
   * @throws DriftwatchError DW_ERR_HYPERVISOR_UNREACHABLE when the login is refused, or the new
   *   session is refused too.
   */
  async withSession<T>(
    operation: (serviceContent: ServiceContent) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const serviceContent = await this.#ensureLoggedIn(signal)
    try {
      return await operation(serviceContent)
    } catch (error) {
      if (!SESSION_LOST.has(faultTypeOf(error) ?? '')) throw error
    }
    this.#cookie = undefined
    const renewed = await this.#ensureLoggedIn(signal)
    try {
      return await operation(renewed)
    } catch (error) {
      if (!SESSION_LOST.has(faultTypeOf(error) ?? '')) throw error
      throw new DriftwatchError(
        'DW_ERR_HYPERVISOR_UNREACHABLE',
        `vSphere at ${this.#where} ended the session of ${this.#userName} again right after a new login`,
        { cause: error, details: { faultType: faultTypeOf(error) } },
      )
    }
  }

  /**
   * Calls one vim25 method on `target` and returns its `<method>Response` element.
   *
   * @example await client.invoke('PowerOffVM_Task', vm, [])
   * @throws DriftwatchError DW_ERR_HYPERVISOR_RESPONSE for a fault or an answer that is not
   *   SOAP (`details.faultType` names the fault), DW_ERR_HYPERVISOR_UNREACHABLE for a refusal.
   */
  async invoke(
    method: string,
    target: ManagedObjectReference,
    args: XmlContent,
    signal?: AbortSignal,
  ): Promise<XmlNode> {
    const headers: Record<string, string> = { SOAPAction: `"urn:vim25/${this.#apiVersion}"` }
    if (this.#cookie !== undefined) headers['Cookie'] = this.#cookie
    const envelope = soapEnvelope(method, [referenceElement('_this', target), args])
    const answer = await this.#transport.post(envelope, headers, signal)
    if (answer.status !== 200 && answer.status !== 500) {
      const error = `answered ${method} with HTTP ${answer.status}`
      // 503: vCenter's services are starting or stopping; the endpoint is right, just not ready.
      if (answer.status === 503) throw this.#unreachable(error)
      throw new DriftwatchError(
        'DW_ERR_HYPERVISOR_RESPONSE',
        `vSphere at ${this.#where} ${error} (is it the /sdk endpoint?)`,
      )
    }
    let parsed
    try {
      parsed = parseSoapAnswer(answer.body, method)
    } catch (error) {
      if (!(error instanceof MalformedSoapError)) throw error
      throw new DriftwatchError(
        'DW_ERR_HYPERVISOR_RESPONSE',
        `vSphere at ${this.#where} answered ${method} with something that is not a SOAP answer: ${error.message}`,
        { cause: error },
      )
    }
    if (parsed.kind === 'fault') throw this.#faultError(method, parsed.fault)
    if (answer.cookies.length > 0 && method === 'Login') this.#cookie = answer.cookies.join('; ')
    return parsed.response
  }

  /** Ends the session, if one is open; a session that is already gone is not an error. */
  async logout(signal?: AbortSignal): Promise<void> {
    const serviceContent = this.#serviceContent
    if (this.#cookie === undefined || serviceContent === undefined) return
    try {
      await this.invoke('Logout', serviceContent.sessionManager, [], signal)
    } catch (error) {
      if (!SESSION_LOST.has(faultTypeOf(error) ?? '')) throw error
    } finally {
      this.#cookie = undefined
    }
  }

  /**
   * Logs out and closes the kept-alive connections. A logout that fails (the server is gone) is
   * not an error here: the session then ends by vCenter's idle timeout.
   */
  async close(): Promise<void> {
    try {
      await this.logout()
    } catch {
      this.#cookie = undefined
    } finally {
      this.#transport.close()
    }
  }

  async #ensureLoggedIn(signal?: AbortSignal): Promise<ServiceContent> {
    const serviceContent = this.#serviceContent ?? (await this.#retrieveServiceContent(signal))
    if (this.#cookie !== undefined) return serviceContent
    await this.invoke(
      'Login',
      serviceContent.sessionManager,
      [element('userName', this.#userName), element('password', this.#password)],
      signal,
    )
    if (this.#cookie === undefined) {
      throw new DriftwatchError(
        'DW_ERR_HYPERVISOR_RESPONSE',
        `vSphere at ${this.#where} accepted the login of ${this.#userName} but set no session cookie`,
      )
    }
    return serviceContent
  }

  async #retrieveServiceContent(signal?: AbortSignal): Promise<ServiceContent> {
    const response = await this.invoke('RetrieveServiceContent', SERVICE_INSTANCE, [], signal)
    const content = child(response, 'returnval')
    const required = (name: string): ManagedObjectReference => {
      const reference = readReference(child(content, name))
      if (reference !== undefined) return reference
      throw new DriftwatchError(
        'DW_ERR_HYPERVISOR_RESPONSE',
        `vSphere at ${this.#where}: its ServiceContent has no ${name}`,
      )
    }
    const aboutNode = child(content, 'about')
    const about: Record<string, string> = {}
    for (const name of Object.keys(aboutNode ?? {})) {
      const value = childText(aboutNode, name)
      if (!name.startsWith('@_') && value !== undefined) about[name] = value
    }
    const serviceContent: ServiceContent = {
      rootFolder: required('rootFolder'),
      propertyCollector: required('propertyCollector'),
      viewManager: required('viewManager'),
      sessionManager: required('sessionManager'),
      eventManager: readReference(child(content, 'eventManager')),
      setting: readReference(child(content, 'setting')),
      about,
    }
    if (about['apiVersion'] !== undefined && /^\d+(\.\d+)*$/.test(about['apiVersion'])) {
      this.#apiVersion = about['apiVersion']
    }
    this.#serviceContent = serviceContent
    return serviceContent
  }

  #faultError(method: string, fault: SoapFault): DriftwatchError {
    const details = { faultType: fault.faultType }
    const said = fault.message === '' ? fault.faultType : `${fault.faultType}: ${fault.message}`
    if (fault.faultType === 'InvalidLogin') {
      return this.#unreachable(`refused the login of ${this.#userName} (${said})`, details)
    }
    if (SESSION_LOST.has(fault.faultType)) {
      this.#cookie = undefined
      return this.#unreachable(
        `no longer knows the session of ${this.#userName} (${said})`,
        details,
      )
    }
    if (REFUSED.has(fault.faultType)) {
      return this.#unreachable(`refused ${method} to ${this.#userName} (${said})`, details)
    }
    return new DriftwatchError(
      'DW_ERR_HYPERVISOR_RESPONSE',
      `vSphere at ${this.#where} answered ${method} with a fault: ${said}`,
      { details },
    )
  }

  #unreachable(why: string, details?: Record<string, unknown>): DriftwatchError {
    return new DriftwatchError(
      'DW_ERR_HYPERVISOR_UNREACHABLE',
      `vSphere at ${this.#where} ${why}`,
      details === undefined ? undefined : { details },
    )
  }
}
