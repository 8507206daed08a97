// Real console and agent processes, as an operator runs them: `driftwatch serve` and
// `driftwatch agent` from the built CLI (npm test builds it first).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import type { TestContext } from 'node:test'
import { freshDatabase } from './fleet-stores.js'

export const ADMIN_PASSWORD = 'a-test-admin-password'
const BIN = new URL('../../bin/driftwatch.js', import.meta.url).pathname

export interface ConsoleProcess {
  readonly url: string
  readonly child: ChildProcess
  /** The console's log so far (pino JSON lines). */
  log(): string
  /** Resolves when the log written after `offset` matches (e.g. an incoming push). */
  waitForLog(pattern: RegExp, offset?: number): Promise<void>
  stop(signal?: NodeJS.Signals): Promise<void>
}

export async function startConsoleProcess(
  t: TestContext,
  flags: readonly string[],
): Promise<ConsoleProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...flags], {
    env: { ...process.env, DRIFTWATCH_ADMIN_PASSWORD: ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const waiters: { pattern: RegExp; offset: number; resolve: () => void }[] = []
  const onData = (chunk: Buffer): void => {
    output += chunk.toString()
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(output.slice(waiter.offset))) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  }
  child.stdout.on('data', onData)
  child.stderr.on('data', onData)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console did not start: ${output}`)), 20_000)
    child.once('exit', (code) => reject(new Error(`console exited (${code}): ${output}`)))
    const poll = (): void => {
      const match = /driftwatch console listening on (\S+)/.exec(output)
      if (match === null) return void setTimeout(poll, 20)
      clearTimeout(timer)
      resolve(match[1] as string)
    }
    poll()
  })
  return {
    url,
    child,
    log: () => output,
    waitForLog: (pattern, offset = 0) =>
      pattern.test(output.slice(offset))
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ pattern, offset, resolve })),
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal)
      await exited
    },
  }
}

export interface AgentRun {
  readonly code: number | null
  readonly stderr: string
}

/** Runs `driftwatch agent … --once` to completion. */
export function runAgentProcess(args: readonly string[]): Promise<AgentRun> {
  const child = spawn(process.execPath, [BIN, 'agent', '--once', '--threads', '1', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })))
}

/** A fresh PostgreSQL database for console processes (which take a URL). */
export async function freshPostgresDatabase(t: TestContext): Promise<string> {
  const database = await freshDatabase(t, 'postgres')
  // Dropped with force when the test ends, which also ends the connections of any console
  // process the test left running (those are killed by their own after-hooks).
  t.after(database.drop)
  return database.location
}

/** Calls the console's API as a user or agent. */
export async function api(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
}

export async function adminSession(url: string): Promise<string> {
  const login = await api(url, 'POST', '/api/v1/login', undefined, {
    name: 'admin',
    password: ADMIN_PASSWORD,
  })
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`)
  return login.body.token as string
}

export function builtCliExists(): boolean {
  return spawnSync(process.execPath, [BIN, '--version']).status === 0
}
