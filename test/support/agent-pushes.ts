// What an agent sends, built by hand for API tests: enrollment, file elements and snapshot pushes.
import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import type { Harness } from './console-harness.js'

export const sha = (text: string): string => createHash('sha256').update(text).digest('hex')
export const IDENTITY = { hostname: 'web-01', machineId: 'm-1', productUuid: 'uuid-web-01' }

/** A regular file element with its content kept. */
export function element(path: string, content: string, mode = '0644'): Record<string, unknown> {
  return {
    key: `file:${path}`,
    attributes: JSON.stringify({ type: 'file', mode, uid: 0, gid: 0, sha256: sha(content) }),
    content,
  }
}

/** A push body: a whole snapshot (base null) or a delta against `base`. */
export function push(
  sequence: number,
  elements: unknown[],
  base: number | null = null,
  removed: string[] = [],
  identity: Record<string, unknown> = IDENTITY,
) {
  return {
    identity,
    snapshot: {
      uuid: randomUUID(),
      sequence,
      base,
      takenAt: new Date().toISOString(),
      elements,
      removed,
      uncertain: [],
      notChecked: [],
    },
  }
}

/** Enrolls a node (tagged `web` unless told) through a fresh enrollment token. */
export async function enrollAgent(
  h: Harness,
  identity = IDENTITY,
  tags: readonly string[] = ['web'],
): Promise<{ nodeId: number; credential: string }> {
  const token = await h.call('POST', '/api/v1/enrollment-tokens', {
    token: h.tokens.admin,
    body: { tags },
  })
  assert.equal(token.status, 201)
  const enrolled = await h.call('POST', '/api/v1/agents/enroll', {
    body: { token: token.body.token, name: identity.hostname, identity },
  })
  assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body))
  return { nodeId: enrolled.body.nodeId, credential: enrolled.body.credential }
}

/** A node's changes as the API lists them, by element key. */
export async function changesByKey(h: Harness, nodeId: number): Promise<Record<string, any>> {
  const changes = await h.call('GET', `/api/v1/changes?node=${nodeId}`, { token: h.tokens.auditor })
  assert.equal(changes.status, 200)
  return Object.fromEntries(changes.body.map((change: any) => [change.key, change]))
}
