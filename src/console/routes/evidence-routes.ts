// The evidence export over the API, for administrators and auditors: the same signed files as
// `driftwatch evidence --out`, as one JSON document that saves back into a directory.
import { hostname } from 'node:os'
import { z } from 'zod'
import { DriftwatchError } from '../../errors/index.js'
import { evidenceQuery, exportEvidence } from '../../report/evidence/index.js'
import { defineRoute, type ApiRoute } from '../api-route.js'
import type { ConsoleContext } from '../console-context.js'

export function evidenceRoutes(context: ConsoleContext): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/evidence',
      summary:
        'Signed evidence of a time range: {manifest, signature, files}; verify the saved files ' +
        'with `driftwatch evidence verify`',
      tag: 'evidence',
      access: ['admin', 'auditor'],
      query: z
        .strictObject({
          from: z.string().min(1),
          to: z.string().min(1),
          tag: z.string().min(1).optional(),
          node: z.string().min(1).optional(),
        })
        .refine((query) => query.tag === undefined || query.node === undefined, {
          message: 'give tag or node, not both',
        }),
      async handler({ query, caller }) {
        if (context.evidenceKey === undefined) {
          throw new DriftwatchError(
            'DW_ERR_KEY_MISSING',
            'this console has no data directory to keep an evidence key in',
          )
        }
        const scope =
          query.tag !== undefined
            ? `tag:${query.tag}`
            : query.node !== undefined
              ? `name:${query.node}`
              : undefined
        const range = evidenceQuery({ from: query.from, to: query.to, nodes: scope })
        const actor = caller.kind === 'user' ? caller.user.name : 'unknown'
        const now = context.now()
        const bundle = await exportEvidence(context.store, range, context.evidenceKey(), {
          console: hostname(),
          actor,
          now,
        })
        // Who took evidence out, and which, is itself part of the record.
        await context.store.audit(
          {
            actor,
            action: 'evidence.export',
            subject: {
              from: range.from,
              to: range.to,
              scope: range.nodes ?? null,
              fingerprint: bundle.manifest.key.fingerprint,
            },
          },
          now.toISOString(),
        )
        return { body: bundle }
      },
    }),
  ]
}
