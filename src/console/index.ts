// The console: the HTTP API over the fleet store, with authentication, ingest and evaluation.
export { buildConsoleApp, consoleRoutes } from './console-app.js'
export type { ConsoleContext } from './console-context.js'
export { startConsole, type RunningConsole, type StartConsoleOptions } from './console-server.js'
export { verifyAuditLog, type AuditVerification } from './audit-verification.js'
