// The routes agents call: enroll with a token, fetch what to collect, push snapshots.
import { z } from 'zod'
import { DriftwatchError } from '../../errors/index.js'
import { machineRelation } from '../../store/index.js'
import { defineRoute, type ApiRoute } from '../api-route.js'
import type { ConsoleContext } from '../console-context.js'
import { TOKEN_PREFIXES, newToken, tokenHash } from '../secrets.js'
import { checkedSnapshot, identitySchema, snapshotPushSchema } from '../snapshot-payload.js'
import { takeInSnapshot } from '../snapshot-intake.js'

export function agentRoutes(context: ConsoleContext): ApiRoute[] {
  const { store } = context
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/agents/enroll',
      summary: 'Exchange an enrollment token for a node and its agent credential',
      tag: 'agents',
      access: 'public',
      body: z.strictObject({
        token: z.string().min(8).max(512),
        name: z.string().min(1).max(255),
        kind: z.enum(['host', 'vm', 'image']).default('host'),
        identity: identitySchema,
      }),
      responses: { 201: 'enrolled: the credential is shown once' },
      async handler({ body }) {
        // A token for an HTTPS console carries the CA's fingerprint after `~`: the secret is
        // what comes before it.
        const secret = body.token.split('~')[0] as string
        const credential = newToken(TOKEN_PREFIXES.agent)
        const node = await store.enrollNode({
          tokenHash: tokenHash(secret),
          credentialHash: tokenHash(credential),
          name: body.name,
          kind: body.kind,
          identity: body.identity,
          now: context.now().toISOString(),
        })
        if (node === undefined) {
          throw new DriftwatchError(
            'DW_ERR_ENROLLMENT_REFUSED',
            'the enrollment token is unknown, used or expired: ask an administrator for a new one',
          )
        }
        return {
          status: 201,
          body: {
            nodeId: node.id,
            status: node.status,
            credential,
            ...(context.tls === undefined ? {} : { caCertificate: context.tls.caCertificate }),
          },
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/agents/spec',
      summary: "The collection spec for the calling agent's node",
      tag: 'agents',
      access: 'agent',
      handler({ caller }) {
        const tags = caller.kind === 'agent' ? caller.node.tags : []
        return Promise.resolve({
          body: {
            rules: context.policies.forNode(tags).spec,
            intervalSeconds: context.intervalSeconds,
          },
        })
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/agents/snapshots',
      summary:
        "Push a snapshot (whole, or changes since the last acknowledged one) of the agent's node",
      tag: 'agents',
      access: 'agent',
      body: snapshotPushSchema,
      responses: { 409: 'out of order, based on another snapshot, or a different machine' },
      async handler({ body, caller }) {
        if (caller.kind !== 'agent') throw new DriftwatchError('DW_ERR_FORBIDDEN', 'agents only')
        const { snapshot, identity, provenance } = checkedSnapshot(body)
        const node = caller.node
        const now = context.now().toISOString()
        // Only evidence of another machine refuses: a different product UUID, else machine id.
        if (machineRelation(node.identity, identity) === 'different') {
          await store.reportIdentityConflict(node.id, identity, now)
          throw new DriftwatchError(
            'DW_ERR_NODE_IDENTITY_MISMATCH',
            `this credential belongs to node ${node.id} (${node.name}), a different machine: a clone must enroll on its own`,
          )
        }
        const outcome = await takeInSnapshot(context, node, snapshot, now, { provenance })
        return {
          body: {
            status: outcome.status,
            snapshotId: outcome.snapshotId,
            sequence: outcome.sequence,
            changes: outcome.changes,
            baseline: outcome.baseline,
          },
        }
      },
    }),
  ]
}
