// The kernel collector: sysctl settings, kernel modules, mounts and the running kernel.
export { kernelCollector } from './kernel-collector.js'
