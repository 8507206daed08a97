// A throwaway libvirtd serving libvirt's test driver on a private socket, so that several virsh
// processes share one hypervisor's state (with test:/// each virsh gets a fresh private one).
// LIBVIRT_DRIVER_DIR points at an empty directory: no QEMU, network or storage driver loads, only
// the test driver built into libvirt. The test driver keeps `test:///default` only while a
// connection is open, so a keeper virsh holds one until the daemon stops.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export const LIBVIRTD = '/usr/sbin/libvirtd'

export interface LibvirtDaemon {
  /** `test+unix:///default?socket=…`: the shared test hypervisor. */
  readonly uri: string
  /** Runs one virsh command in its own process, as an administrator would; throws on failure. */
  virsh(...args: string[]): string
  stop(): Promise<void>
}

export function libvirtAvailable(): boolean {
  return existsSync(LIBVIRTD) && spawnSync('virsh', ['--version']).status === 0
}

export async function startLibvirtDaemon(dir: string): Promise<LibvirtDaemon> {
  const sockets = join(dir, 'sock')
  const drivers = join(dir, 'no-drivers')
  mkdirSync(sockets, { recursive: true })
  mkdirSync(drivers, { recursive: true })
  const config = join(dir, 'libvirtd.conf')
  writeFileSync(
    config,
    [
      `unix_sock_dir = "${sockets}"`,
      'unix_sock_rw_perms = "0700"',
      'auth_unix_rw = "none"',
      'auth_unix_ro = "none"',
      `log_outputs = "3:file:${join(dir, 'libvirtd.log')}"`,
      '',
    ].join('\n'),
  )
  const daemon = spawn(LIBVIRTD, ['-f', config, '-p', join(dir, 'libvirtd.pid')], {
    env: {
      PATH: process.env['PATH'],
      HOME: dir,
      LIBVIRT_DRIVER_DIR: drivers,
      XDG_RUNTIME_DIR: dir,
    },
    stdio: 'ignore',
  })
  const uri = `test+unix:///default?socket=${join(sockets, 'libvirt-sock')}`
  const helpers: ChildProcess[] = []
  const stop = async (): Promise<void> => {
    for (const helper of helpers) helper.kill()
    daemon.kill()
    if (daemon.exitCode === null) await new Promise((resolve) => daemon.once('exit', resolve))
  }
  for (let attempt = 0; !existsSync(join(sockets, 'libvirt-sock')); attempt++) {
    if (attempt > 100 || daemon.exitCode !== null) {
      await stop()
      throw new Error(`libvirtd did not start; see ${join(dir, 'libvirtd.log')}`)
    }
    await sleep(50)
  }
  helpers.push(spawn('virsh', ['-c', uri], { stdio: ['pipe', 'ignore', 'ignore'] }))
  const virsh = (...args: string[]): string => {
    const result = spawnSync('virsh', ['-c', uri, ...args], { encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`virsh ${args.join(' ')}: ${result.stderr}`)
    return result.stdout
  }
  // The keeper's connection is open once the state it holds is visible to another virsh.
  for (let attempt = 0; ; attempt++) {
    virsh('destroy', 'test')
    if (virsh('domstate', 'test').trim() === 'shut off') break
    if (attempt > 100) throw new Error('the keeper virsh did not connect')
    await sleep(50)
  }
  virsh('start', 'test')
  return { uri, virsh, stop }
}
