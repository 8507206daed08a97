// The console's own certificate authority and HTTPS certificate.
export { caFingerprintOf, loadOrCreateConsoleTls, type ConsoleTls } from './console-certificates.js'
