// The console's HTTP application: every API route from its definition, one authentication
// step, one access check, and one error handler. Built without listening, so tests can drive it
// through `inject` and the server can put it behind HTTP or HTTPS.
import Fastify, { type FastifyInstance } from 'fastify'
import { DriftwatchError } from '../errors/index.js'
import { loadWaiversModule } from '../policy/index.js'
import type { ApiRoute } from './api-route.js'
import { checkAccess, identifyCaller } from './caller.js'
import type { ConsoleContext } from './console-context.js'
import { openApiDocument, docsPage } from './openapi.js'
import { parseWith, sendProblem } from './problem.js'
import { acceptGzipBodies } from './request-decompression.js'
import { accessRoutes } from './routes/access-routes.js'
import { agentRoutes } from './routes/agent-routes.js'
import { auditRoutes } from './routes/audit-routes.js'
import { changeRoutes } from './routes/change-routes.js'
import { evidenceRoutes } from './routes/evidence-routes.js'
import { nodeRoutes } from './routes/node-routes.js'
import { resultRoutes } from './routes/result-routes.js'
import { metricsRoutes } from './routes/metrics-routes.js'
import { ticketRoutes } from './routes/ticket-routes.js'
import { maintenanceWindowRoutes } from './routes/maintenance-window-routes.js'
import { hypervisorRoutes } from './routes/hypervisor-routes.js'
import { ticketSourceRoutes } from './routes/ticket-source-routes.js'

export interface ConsoleAppOptions {
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit: number
  /** A pino logger configuration, or false (tests). */
  readonly logger: boolean | Record<string, unknown>
  /** Serve HTTPS with this key and certificate chain. */
  readonly https?: { readonly key: string; readonly cert: string } | undefined
}

export async function consoleRoutes(context: ConsoleContext): Promise<ApiRoute[]> {
  const { waiversSchema } = await loadWaiversModule()
  return [
    ...agentRoutes(context),
    ...accessRoutes(context),
    ...nodeRoutes(context),
    ...changeRoutes(context),
    ...resultRoutes(context, waiversSchema.shape.waivers.element),
    ...ticketRoutes(context),
    ...maintenanceWindowRoutes(context),
    ...hypervisorRoutes(context),
    ...ticketSourceRoutes(context),
    ...metricsRoutes(context),
    ...auditRoutes(context),
    ...evidenceRoutes(context),
  ]
}

/**
 * @example const app = await buildConsoleApp(context, { bodyLimit: 64 << 20, logger: false })
 */
export async function buildConsoleApp(
  context: ConsoleContext,
  options: ConsoleAppOptions,
): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.https === undefined ? {} : { https: { ...options.https } }),
    bodyLimit: options.bodyLimit,
    logger:
      options.logger === false
        ? false
        : {
            ...(options.logger === true ? {} : options.logger),
            // Secrets travel in these: they never reach a log line.
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
  })
  const routes = await consoleRoutes(context)
  acceptGzipBodies(app)
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply))
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      new DriftwatchError('DW_ERR_NOT_FOUND', `no route ${request.method} ${request.url}`),
      request,
      reply,
    ),
  )
  app.get('/api/v1/health', () => ({ status: 'ok' }))
  const document = openApiDocument(routes)
  app.get('/api/v1/openapi.json', () => document)
  app.get('/docs', (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(docsPage(document)),
  )
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        const caller =
          route.access === 'public'
            ? ({ kind: 'anonymous' } as const)
            : await identifyCaller(request, context.store, context.now().toISOString())
        checkAccess(route.access, caller)
        const answer = await route.handler({
          params:
            route.params === undefined
              ? request.params
              : parseWith(route.params, request.params, 'path'),
          query:
            route.query === undefined
              ? request.query
              : parseWith(route.query, request.query, 'query'),
          body: route.body === undefined ? undefined : parseWith(route.body, request.body, 'body'),
          caller,
          request,
          reply,
        })
        return reply.code(answer.status ?? 200).send(answer.body)
      },
    })
  }
  return app
}
