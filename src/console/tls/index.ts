// The console's own certificate authority and HTTPS certificate.
export { loadOrCreateConsoleTls, type ConsoleTls } from './console-certificates.js'
