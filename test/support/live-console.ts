// A real console on a real port for tests of the agent: the console application over a fresh
// SQLite fleet store, with an administrator, that can go down and come back on the same port.
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildConsoleApp } from '../../src/console/index.js'
import { hashPassword } from '../../src/console/passwords.js'
import { openFleetStore } from '../../src/store/open-fleet-store.js'
import { type FleetStore, type IncomingSnapshot } from '../../src/store/index.js'
import { PASSWORD, testConsoleContext } from './console-harness.js'
import { tempDir } from './temp-tree.js'

export interface LiveConsoleOptions {
  /** Largest request body the console accepts (default 8 MiB). */
  readonly bodyLimit?: number
  readonly policies?: readonly string[]
}

/** A snapshot push as it reached the console's route, whatever the console answered. */
export interface ReceivedPush {
  readonly sequence: number
  readonly base: number | null
  readonly keys: readonly string[]
  readonly removed: readonly string[]
}

export interface LiveConsole {
  /** `http://127.0.0.1:<port>`: the same across restarts. */
  readonly url: string
  /** The running console's store; another handle on the same file after {@link restart}. */
  readonly store: FleetStore
  /** The SQLite file, for changing what no API route can. */
  readonly databasePath: string
  /** A session of the administrator. */
  readonly adminToken: string
  /** Every snapshot push that got past the body parser, in order of arrival. */
  readonly pushes: readonly ReceivedPush[]
  /** Creates an enrollment token as the administrator would. */
  enrollmentToken(options?: { reusable?: boolean; tags?: string[] }): Promise<string>
  /** Closes the port and the store: agents find nothing listening. */
  stop(): Promise<void>
  /** Opens the same store file again and listens on the same port. */
  restart(): Promise<void>
}

/**
 * @example const console = await startLiveConsole(t); const token = await console.enrollmentToken()
 */
export async function startLiveConsole(
  t: TestContext,
  options: LiveConsoleOptions = {},
): Promise<LiveConsole> {
  const databasePath = join(tempDir(t, 'dw-console-'), 'console.db')
  const pushes: ReceivedPush[] = []
  let running: { app: FastifyInstance; store: FleetStore } | undefined
  let port = 0

  const listen = async (): Promise<void> => {
    const store = await openFleetStore(databasePath)
    try {
      const context = await testConsoleContext(store, options.policies)
      const app = await buildConsoleApp(context, {
        bodyLimit: options.bodyLimit ?? 8 * 1024 * 1024,
        logger: false,
      })
      app.addHook('preHandler', (request, _reply, done) => {
        if (request.method === 'POST' && request.url === '/api/v1/agents/snapshots') {
          pushes.push(receivedPush(request.body))
        }
        done()
      })
      await app.listen({ port, host: '127.0.0.1' })
      const address = app.server.address()
      if (typeof address !== 'object' || address === null) throw new Error('not listening')
      port = address.port
      running = { app, store }
    } catch (error) {
      await store.close()
      throw error
    }
  }
  const stop = async (): Promise<void> => {
    const stopping = running
    running = undefined
    await stopping?.app.close()
    await stopping?.store.close()
  }

  await listen()
  t.after(stop)
  const url = `http://127.0.0.1:${port}`
  const store = (): FleetStore => {
    if (running === undefined) throw new Error('the live console is stopped')
    return running.store
  }
  await store().createUser({
    name: 'admin',
    passwordHash: await hashPassword(PASSWORD),
    role: 'admin',
    actor: 'test',
    now: new Date().toISOString(),
  })
  const login = await postJson(url, '/api/v1/login', { name: 'admin', password: PASSWORD })
  const adminToken = login['token'] as string

  return {
    url,
    get store() {
      return store()
    },
    databasePath,
    adminToken,
    pushes,
    async enrollmentToken(tokenOptions = {}) {
      const created = await postJson(url, '/api/v1/enrollment-tokens', tokenOptions, adminToken)
      return created['token'] as string
    },
    stop,
    async restart() {
      await stop()
      await listen()
    },
  }
}

async function postJson(
  url: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<Record<string, unknown>> {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  })
  const answer = (await response.json()) as Record<string, unknown>
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(answer)}`)
  return answer
}

function receivedPush(body: unknown): ReceivedPush {
  const snapshot = (body as { snapshot: IncomingSnapshot }).snapshot
  return {
    sequence: snapshot.sequence,
    base: snapshot.base,
    keys: snapshot.elements.map((element) => element.key),
    removed: snapshot.removed,
  }
}
