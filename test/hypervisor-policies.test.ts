// The shipped policies vm-config and vsphere-host judging real hypervisors through
// `driftwatch assess --hypervisor`: libvirt's test driver reading a node file with one compliant
// and one non-compliant domain (and a libvirtd for a snapshot taken now), and vcsim, whose defaults fail most of the hardening guide — then
// pass where an operator hardens a VM and a host through the same API an administrator uses.
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { driftwatch } from './support/run-cli.js'
import { libvirtAvailable, startLibvirtDaemon } from './support/libvirt-daemon.js'
import { tempDir } from './support/temp-tree.js'
import { startVcsim, type RunningVcsim } from './support/vcsim.js'
import { VsphereOperator } from './support/vsphere-operations.js'
import { testDomainXml } from './support/test-domain.js'

const SKIP_LIBVIRT = libvirtAvailable()
  ? false
  : 'virsh is not installed (scripts/ensure-libvirt.sh installs it)'

interface Result {
  readonly policy: string
  readonly test: string
  readonly status: string
  readonly actual: string
  readonly expected: string
  readonly evidence: readonly { element?: string }[]
}

interface Assessment {
  readonly code: number
  readonly node: string
  readonly target: string
  /** `policy/test` → status. */
  readonly statuses: Record<string, string>
  result(id: string): Result
}

async function assessHypervisor(
  spec: string,
  flags: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<Assessment> {
  const run = await driftwatch(['assess', '--hypervisor', spec, '--format', 'json', ...flags], env)
  assert.ok(run.code === 0 || run.code === 1, `assess exited ${run.code}: ${run.stderr}`)
  const report = JSON.parse(run.stdout) as { node: string; target: string; results: Result[] }
  return {
    code: run.code,
    node: report.node,
    target: report.target,
    statuses: Object.fromEntries(report.results.map((r) => [`${r.policy}/${r.test}`, r.status])),
    result: (id) => {
      const found = report.results.find((r) => `${r.policy}/${r.test}` === id)
      assert.ok(found, `no result for ${id}`)
      return found
    },
  }
}

/** Statuses of one policy's tests only. */
function statusesOf(assessment: Assessment, policy: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(assessment.statuses).filter(([id]) => id.startsWith(`${policy}/`)),
  )
}

// ------------------------------------------------------------------ libvirt

function domain(
  name: string,
  uuid: string,
  devices: string,
  seclabel: string,
  snapshot = '',
): string {
  return testDomainXml({ name, uuid, devices, extra: `${seclabel}${snapshot}` })
}

/**
 * A snapshot taken 2020-09-13T12:26:40Z: the test driver reads a node file's snapshots as
 * redefined ones, creation time and all, with the domain they were taken of.
 */
function oldSnapshot(name: string, uuid: string): string {
  return `<test:domainsnapshot>
    <name>before upgrade</name><state>shutoff</state><active>0</active>
    <creationTime>1600000000</creationTime>${domain(name, uuid, '', '')}
  </test:domainsnapshot>`
}

/** Console on loopback, confined by SELinux, nothing passed through. */
const COMPLIANT = domain(
  'app-01',
  '11111111-2222-3333-4444-555555555501',
  `<graphics type='vnc' port='-1' autoport='yes'><listen type='address' address='127.0.0.1'/></graphics>`,
  `<seclabel type='dynamic' model='selinux'/>`,
)

/**
 * VNC on every address without a password, confinement off, a PCI device passed through, a
 * snapshot kept for years.
 */
const NON_COMPLIANT = domain(
  'kiosk-01',
  '11111111-2222-3333-4444-555555555502',
  `<graphics type='vnc' port='-1' autoport='yes' listen='0.0.0.0'/>
   <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source></hostdev>`,
  `<seclabel type='none'/>`,
  oldSnapshot('kiosk-01', '11111111-2222-3333-4444-555555555502'),
)

function libvirtNode(dir: string, ...domains: string[]): string {
  const path = join(dir, 'node.xml')
  writeFileSync(path, `<node>\n${domains.join('\n')}\n</node>\n`)
  return `libvirt:test://${path}`
}

test(
  'vm-config on libvirt: the open, unconfined VM with a host device and an old snapshot fails each test by name, the compliant one passes',
  { skip: SKIP_LIBVIRT },
  async (t) => {
    const spec = libvirtNode(tempDir(t), COMPLIANT, NON_COMPLIANT)
    const assessment = await assessHypervisor(spec)
    assert.equal(assessment.code, 1)
    assert.equal(assessment.target, spec)
    assert.deepEqual(statusesOf(assessment, 'vm-config'), {
      'vm-config/vm-console-not-open-to-all': 'fail',
      'vm-config/vm-confinement-not-disabled': 'fail',
      // The test driver's own security model counts as a driver.
      'vm-config/vm-hypervisor-security-driver': 'pass',
      'vm-config/vm-no-host-devices': 'fail',
      'vm-config/vm-snapshots-not-kept': 'fail',
    })
    const console = assessment.result('vm-config/vm-console-not-open-to-all')
    assert.equal(console.actual, '1 of 2 fail: vm:kiosk-01 (0.0.0.0; false)')
    assert.equal(console.expected, 'not matching /(^|,)(0\\.0\\.0\\.0|::|\\[::\\])(,|$)/ or true')
    assert.deepEqual(console.evidence, [{ element: 'vm:kiosk-01' }])
    assert.equal(
      assessment.result('vm-config/vm-confinement-not-disabled').actual,
      '1 of 2 fail: vm:kiosk-01 (none)',
    )
    const devices = assessment.result('vm-config/vm-no-host-devices')
    assert.equal(devices.actual, '1 of 2 fail: vm:kiosk-01 (1)')
    // hostdev_count 0 (libvirt); devices.pciPassthrough 0 (vSphere)
    assert.equal(devices.expected, '0; 0')
    const snapshots = assessment.result('vm-config/vm-snapshots-not-kept')
    assert.equal(snapshots.actual, '1 of 2 fail: vm:kiosk-01 (1; 2020-09-13T12:26:40.000Z)')
    assert.equal(snapshots.expected, '0 or at most 3 days old')
    // A libvirt hypervisor is no vSphere: every vsphere-host test is not applicable.
    assert.deepEqual(
      new Set(Object.values(statusesOf(assessment, 'vsphere-host'))),
      new Set(['not-applicable']),
    )
  },
)

test(
  'vm-config on libvirt: a hypervisor with only the compliant VM passes and assess exits 0',
  { skip: SKIP_LIBVIRT },
  async (t) => {
    const assessment = await assessHypervisor(libvirtNode(tempDir(t), COMPLIANT), [
      '--policy',
      'vm-config',
    ])
    assert.equal(assessment.code, 0)
    assert.equal(assessment.result('vm-config/vm-console-not-open-to-all').actual, 'all 1 pass')
    assert.equal(assessment.result('vm-config/vm-no-host-devices').status, 'pass')
    assert.equal(assessment.result('vm-config/vm-snapshots-not-kept').actual, 'all 1 pass')
  },
)

test(
  'vm-config on libvirt: a snapshot just taken passes the 3-day rule and fails a copy allowing 0 days',
  { skip: SKIP_LIBVIRT },
  async (t) => {
    const daemon = await startLibvirtDaemon(tempDir(t))
    t.after(() => daemon.stop())
    daemon.virsh('snapshot-create-as', 'test', 'before-patch')
    const spec = `libvirt:${daemon.uri}`
    const fresh = await assessHypervisor(spec, ['--policy', 'vm-config'])
    assert.equal(fresh.result('vm-config/vm-snapshots-not-kept').actual, 'all 1 pass')

    const strict = join(tempDir(t), 'vm-config-strict.yaml')
    writeFileSync(strict, shippedVmConfig().replace('withinDays: 3', 'withinDays: 0'))
    const result = (await assessHypervisor(spec, ['--policy', strict])).result(
      'vm-config/vm-snapshots-not-kept',
    )
    assert.equal(result.status, 'fail')
    assert.match(result.actual, /^1 of 1 fail: vm:test \(1; \d{4}-\d\d-\d\dT[\d:.]+Z\)$/)
  },
)

/** The shipped vm-config policy's text, for a copy with a stricter rule. */
function shippedVmConfig(): string {
  const text = readFileSync(
    fileURLToPath(new URL('../policies/vm-config.yaml', import.meta.url)),
    'utf8',
  )
  assert.ok(text.includes('withinDays: 3'))
  return text
}

test('assess --hypervisor: a bad spec and --root with it are usage errors', async () => {
  const bad = await driftwatch(['assess', '--hypervisor', 'xen-somewhere'])
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /hypervisor 'xen-somewhere': expected libvirt:<URI>/)
  const mixed = await driftwatch([
    'assess',
    '--hypervisor',
    'libvirt:test:///default',
    '--root',
    '/',
  ])
  assert.equal(mixed.code, 2)
  assert.match(mixed.stderr, /--hypervisor reads a hypervisor, not a system: drop --root/)
})

test(
  'assess --hypervisor: an unreachable hypervisor is an error, not an empty passing inventory',
  { skip: SKIP_LIBVIRT },
  async (t) => {
    const run = await driftwatch([
      'assess',
      '--hypervisor',
      `libvirt:test://${join(tempDir(t), 'absent.xml')}`,
    ])
    assert.equal(run.code > 1, true, run.stdout)
    assert.match(run.stderr, /DW_ERR_HYPERVISOR_UNREACHABLE/)
    assert.equal(run.stdout, '')
  },
)

// ------------------------------------------------------------------ vSphere (vcsim)

const HARDENED_VM_SETTINGS = {
  'isolation.tools.copy.disable': 'TRUE',
  'isolation.tools.paste.disable': 'TRUE',
  'isolation.tools.diskShrink.disable': 'TRUE',
  'isolation.tools.diskWiper.disable': 'TRUE',
  'isolation.device.connectable.disable': 'TRUE',
  'RemoteDisplay.maxConnections': '1',
  'tools.setInfo.sizeLimit': '1048576',
  'log.keepOld': '10',
  'log.rotateSize': '2048000',
}

describe('vsphere-host and vm-config against vcsim', () => {
  let vcsim: RunningVcsim
  let operator: VsphereOperator
  let spec: string
  const env = { DRIFTWATCH_VSPHERE_USER: 'reader', DRIFTWATCH_VSPHERE_PASSWORD: 'reader-password' }

  before(async () => {
    vcsim = await startVcsim({ clusters: 1, hostsPerCluster: 1, standaloneHosts: 1, vmsPerPool: 1 })
    operator = new VsphereOperator(vcsim.url, vcsim.fingerprint, 'ops-alice@vsphere.local')
    const url = new URL(vcsim.url)
    url.searchParams.set('fingerprint', vcsim.fingerprint)
    spec = `vsphere:${url.href}`
  })
  after(async () => {
    await operator?.close()
    await vcsim?.stop()
  })

  test("the simulator's defaults fail the hardening tests, each host and VM named with what it has", async () => {
    const assessment = await assessHypervisor(spec, [], env)
    assert.equal(assessment.code, 1)
    const failed = Object.entries(statusesOf(assessment, 'vsphere-host'))
      .filter(([, status]) => status === 'fail')
      .map(([id]) => id.slice('vsphere-host/'.length))
    assert.deepEqual(failed.sort(), [
      'esxi-account-lockout',
      'esxi-account-unlock-time',
      'esxi-dcui-access-root-only',
      'esxi-lockdown-mode',
      'esxi-mob-disabled',
      'esxi-ntp-running',
      'esxi-password-quality',
      'esxi-shell-availability-timeout',
      'esxi-shell-interactive-timeout',
      'vm-console-copy-disabled',
      'vm-console-paste-disabled',
      'vm-console-single-connection',
      'vm-device-changes-from-guest-disabled',
      'vm-disk-shrink-disabled',
      'vm-disk-wiper-disabled',
      'vm-log-files-limited',
      'vm-log-size-limited',
      'vm-setinfo-size-limited',
    ])
    // What vcsim has: SSH and the ESXi Shell stopped and off, no legacy devices.
    assert.equal(assessment.result('vsphere-host/esxi-ssh-stopped').status, 'pass')
    assert.equal(assessment.result('vsphere-host/esxi-shell-stopped').status, 'pass')
    assert.equal(assessment.result('vsphere-host/vm-no-legacy-devices').actual, 'all 2 pass')

    assert.equal(
      assessment.result('vsphere-host/esxi-ntp-running').actual,
      '2 of 2 fail: vmm:host/DC0_C0_H0 (false; off), vmm:host/DC0_H0 (false; off)',
    )
    assert.equal(
      assessment.result('vsphere-host/esxi-lockdown-mode').actual,
      '2 of 2 fail: vmm:host/DC0_C0_H0 (lockdownDisabled), vmm:host/DC0_H0 (lockdownDisabled)',
    )
    const mob = assessment.result('vsphere-host/esxi-mob-disabled')
    assert.equal(mob.expected, 'false')
    assert.match(
      mob.actual,
      /^2 of 2 fail: vmm:host\/DC0_C0_H0 \(vmm:host\/DC0_C0_H0\/option\/Config\.HostAgent\.plugins\.solo\.enableMob is absent\)/,
    )
    const copy = assessment.result('vsphere-host/vm-console-copy-disabled')
    assert.equal(
      copy.actual,
      '2 of 2 fail: vm:DC0_C0_RP0_VM0 (vm:DC0_C0_RP0_VM0 extra.isolation.tools.copy.disable is absent), vm:DC0_H0_VM0 (vm:DC0_H0_VM0 extra.isolation.tools.copy.disable is absent)',
    )
    assert.equal(copy.expected, 'true')

    // vm-config: vSphere reports passthrough devices and snapshots, not libvirt's consoles.
    assert.deepEqual(statusesOf(assessment, 'vm-config'), {
      'vm-config/vm-console-not-open-to-all': 'not-applicable',
      'vm-config/vm-confinement-not-disabled': 'not-applicable',
      'vm-config/vm-hypervisor-security-driver': 'not-applicable',
      'vm-config/vm-no-host-devices': 'pass',
      'vm-config/vm-snapshots-not-kept': 'pass',
    })
  })

  test('a VM and a host hardened through the API pass where they were hardened, the others still fail', async () => {
    await operator.reconfigure('DC0_H0_VM0', { extraConfig: HARDENED_VM_SETTINGS })
    await operator.setHostOption('DC0_H0', 'Security.AccountLockFailures', 3)
    await operator.setHostOption('DC0_C0_H0', 'Security.AccountLockFailures', 0)

    const assessment = await assessHypervisor(spec, ['--policy', 'vsphere-host'], env)
    for (const id of [
      'vm-console-copy-disabled',
      'vm-console-paste-disabled',
      'vm-disk-shrink-disabled',
      'vm-disk-wiper-disabled',
      'vm-device-changes-from-guest-disabled',
      'vm-console-single-connection',
      'vm-setinfo-size-limited',
      'vm-log-files-limited',
      'vm-log-size-limited',
    ]) {
      const result = assessment.result(`vsphere-host/${id}`)
      assert.equal(result.status, 'fail', id)
      assert.match(result.actual, /^1 of 2 fail: vm:DC0_C0_RP0_VM0 \(/, id)
    }
    // A lockout turned off (0) is named with its value; the host set to 3 passes.
    assert.equal(
      assessment.result('vsphere-host/esxi-account-lockout').actual,
      '1 of 2 fail: vmm:host/DC0_C0_H0 (0)',
    )
  })

  test('a snapshot is judged by its age from the time of the assessment', async (t) => {
    await operator.createSnapshot('DC0_C0_RP0_VM0', 'before-patch')
    const fresh = await assessHypervisor(spec, ['--policy', 'vm-config'], env)
    assert.equal(fresh.result('vm-config/vm-snapshots-not-kept').status, 'pass')

    // The same policy with no age allowed: the snapshot just taken is already too old.
    const strict = join(tempDir(t), 'vm-config-strict.yaml')
    writeFileSync(strict, shippedVmConfig().replace('withinDays: 3', 'withinDays: 0'))
    const aged = await assessHypervisor(spec, ['--policy', strict], env)
    const result = aged.result('vm-config/vm-snapshots-not-kept')
    assert.equal(result.status, 'fail')
    assert.match(result.actual, /^1 of 2 fail: vm:DC0_C0_RP0_VM0 \(1; \d{4}-\d\d-\d\dT[\d:.]+Z\)$/)
    assert.equal(result.expected, '0 or at most 0 days old')
  })
})
