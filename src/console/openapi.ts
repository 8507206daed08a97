// The OpenAPI 3.1 document of the API, generated from the route definitions (their zod schemas
// become JSON Schema), and a self-contained HTML page at /docs that renders it — no assets to
// fetch, so it works on a console without internet access.
import { z } from 'zod'
import type { ApiRoute } from './api-route.js'

type JsonObject = Record<string, unknown>

const PROBLEM = {
  description: 'An RFC 9457 problem document; `code` is a DW_ERR_* code (docs/errors.md)',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string' },
        },
        required: ['type', 'title', 'status', 'detail', 'code'],
      },
    },
  },
}

function jsonSchema(schema: z.ZodType): JsonObject {
  const converted = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject
  delete converted['$schema']
  return converted
}

function parameters(route: ApiRoute): JsonObject[] {
  const list: JsonObject[] = []
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (schema === undefined) continue
    const object = jsonSchema(schema)
    const properties = (object['properties'] ?? {}) as Record<string, JsonObject>
    const required = new Set((object['required'] ?? []) as string[])
    for (const [name, property] of Object.entries(properties)) {
      list.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        schema: property,
      })
    }
  }
  return list
}

/**
 * @example openApiDocument(routes).paths['/api/v1/nodes'].get.summary
 */
export function openApiDocument(routes: readonly ApiRoute[]): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {
    '/api/v1/health': {
      get: {
        summary: 'Whether the console answers (no login needed)',
        tags: ['health'],
        security: [],
        responses: { '200': { description: '{"status":"ok"}' } },
      },
    },
  }
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}')
    // A route that answers 201 or 204 says so; the others answer 200.
    const declared = Object.keys(route.responses ?? {})
    const responses: JsonObject = declared.some((status) => status.startsWith('2'))
      ? {}
      : { '200': { description: 'OK' } }
    for (const [status, description] of Object.entries(route.responses ?? {})) {
      responses[status] = Number(status) >= 400 ? { ...PROBLEM, description } : { description }
    }
    responses['default'] = PROBLEM
    paths[path] ??= {}
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      tags: [route.tag],
      'x-driftwatch-access':
        typeof route.access === 'string' ? route.access : [...route.access].join(', '),
      ...(route.access === 'public' ? { security: [] } : {}),
      parameters: parameters(route),
      ...(route.body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(route.body) } },
            },
          }),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'driftwatch console API',
      version: '1',
      description:
        'Nodes, elements, changes, results, waivers, access and the audit log. Authenticate with `Authorization: Bearer <token>`: a session token from /api/v1/login, an API token, or an agent credential.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ bearer: [] }],
    paths,
  }
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The API reference as one HTML page, rendered on the server from the OpenAPI document. */
export function docsPage(document: JsonObject): string {
  const sections: string[] = []
  const paths = document['paths'] as Record<string, Record<string, JsonObject>>
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const body = (operation['requestBody'] as JsonObject | undefined)?.['content'] as
        Record<string, { schema: unknown }> | undefined
      const params = (operation['parameters'] ?? []) as JsonObject[]
      sections.push(`<section>
<h2><code>${method.toUpperCase()} ${escapeHtml(path)}</code></h2>
<p>${escapeHtml(String(operation['summary']))} <em>(${escapeHtml(typeof operation['x-driftwatch-access'] === 'string' ? operation['x-driftwatch-access'] : 'public')})</em></p>
${params.length === 0 ? '' : `<p>Parameters: ${params.map((p) => `<code>${escapeHtml(String(p['name']))}</code> (${escapeHtml(String(p['in']))})`).join(', ')}</p>`}
${body === undefined ? '' : `<details><summary>Body</summary><pre>${escapeHtml(JSON.stringify(body['application/json']?.schema, null, 2))}</pre></details>`}
</section>`)
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>driftwatch console API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
h2{font-size:1rem;margin-bottom:.2rem}section{border-top:1px solid #ddd;padding:.5rem 0}pre{background:#f6f6f6;padding:.5rem;overflow:auto}</style>
</head><body><h1>driftwatch console API v1</h1>
<p>The machine-readable document is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Errors are RFC 9457 problem documents with a <code>code</code>.</p>
${sections.join('\n')}
</body></html>
`
}
