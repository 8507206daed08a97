// assess collects only the system elements its policies read (the sysctls they name, no network
// interfaces …). That must never change a verdict: here the shipped policies judge the same
// system from everything the collectors find and from the narrowed collection, on a root
// filesystem that gives every collector something to read and on the live host.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LocalCommandRunner, SnapshotCollector } from '../src/collect/index.js'
import { deserializeElement, type Element } from '../src/model/index.js'
import {
  assess,
  collectionSpecFor,
  elementsRead,
  loadShippedPolicies,
  shippedPoliciesDirectory,
  type Policy,
} from '../src/policy/index.js'
import { DirectoryTarget, openTarget, type Target } from '../src/target/index.js'
import { plantRoot } from './support/temp-tree.js'

const SYSTEM = {
  '/etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
  '/etc/hostname': 'web-01\n',
  '/etc/passwd':
    'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n' +
    'games:x:5:60::/usr/games:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/bash\n',
  '/etc/shadow': 'root:$6$x$y:19000:0:99999:7:::\nalice::19000:0:99999:7:::\n',
  '/etc/group': 'root:x:0:\nsudo:x:27:alice\nadm:x:4:\nalice:x:1000:\n',
  '/etc/sudoers': 'Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) NOPASSWD: ALL\n',
  '/etc/ssh/sshd_config': 'PermitRootLogin yes\nX11Forwarding yes\n',
  '/etc/login.defs': 'PASS_MAX_DAYS\t99999\nUMASK 022\n',
  '/etc/sysctl.conf': 'net.ipv4.ip_forward = 1\nkernel.randomize_va_space = 2\n',
  '/etc/sysctl.d/60-net.conf': 'net.ipv4.conf.*.rp_filter = 1\nvm.swappiness = 10\n',
  '/etc/modprobe.d/cis.conf': 'install cramfs /bin/true\nblacklist usb-storage\n',
  '/etc/fstab': 'UUID=1 / ext4 defaults 0 1\ntmpfs /tmp tmpfs nodev,nosuid 0 0\n',
  '/etc/crontab': '17 * * * * root cd / && run-parts --report /etc/cron.hourly\n',
  '/etc/resolv.conf': 'nameserver 192.0.2.53\n',
  '/etc/hosts': '127.0.0.1 localhost\n',
  '/var/lib/dpkg/status': [
    'Package: openssh-server\nStatus: install ok installed\nVersion: 1:9.2p1-2\nArchitecture: amd64\n',
    'Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: amd64\nMulti-Arch: same\n',
    'Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: i386\nMulti-Arch: same\n',
    'Package: telnetd\nStatus: install ok installed\nVersion: 0.17-44\nArchitecture: amd64\n',
    'Package: rsync\nStatus: install ok installed\nVersion: 3.2.7-1\nArchitecture: amd64\n',
  ].join('\n'),
  '/lib/systemd/system/ssh.service':
    '[Service]\nExecStart=/usr/sbin/sshd\n[Install]\nWantedBy=multi-user.target\n',
  '/lib/systemd/system/rsync.service':
    '[Service]\nExecStart=/usr/bin/rsync\n[Install]\nWantedBy=multi-user.target\n',
  '/etc/systemd/system/multi-user.target.wants/ssh.service': {
    link: '/lib/systemd/system/ssh.service',
  },
}

async function collect(
  target: Target,
  policies: readonly Policy[],
  narrowed: boolean,
): Promise<Map<string, Element>> {
  const collector = new SnapshotCollector(target, collectionSpecFor(policies), {
    commands: new LocalCommandRunner(),
    threads: 1,
    ...(narrowed ? { selection: elementsRead(policies, ['os:hostname']) } : {}),
  })
  const elements = new Map<string, Element>()
  await collector.collect((element) => elements.set(element.key, deserializeElement(element)))
  return elements
}

async function assertSameVerdicts(target: Target): Promise<void> {
  const policies = [...(await loadShippedPolicies(shippedPoliciesDirectory())).values()]
  const everything = await collect(target, policies, false)
  const narrowed = await collect(target, policies, true)
  // The narrowed collection is part of the full one, element for element, and really smaller.
  for (const [key, element] of narrowed) assert.deepEqual(element, everything.get(key), key)
  assert.ok(narrowed.size < everything.size, `${narrowed.size} of ${everything.size} elements`)
  const judge = (elements: Map<string, Element>): ReturnType<typeof assess> =>
    assess({
      policies,
      elements,
      node: { name: 'node', kind: target.live ? 'host' : 'image', tags: [], live: target.live },
      waivers: [],
      deadlines: { critical: 7, high: 30, medium: 90, low: 180 },
      now: new Date('2026-01-02T03:04:05Z'),
    })
  const full = judge(everything)
  assert.deepEqual(judge(narrowed), full)
  // The comparison means something only if the policies judged the system, not just skipped it.
  assert.ok(full.counts.pass > 0 && full.counts.fail > 0, JSON.stringify(full.counts))
}

test('a root filesystem: the narrowed collection gives every verdict and actual value the full one gives', async (t) => {
  const root = plantRoot(t, SYSTEM)
  await assertSameVerdicts(new DirectoryTarget(root, { live: false, description: 'fixture' }))
})

test('the live host: the narrowed collection gives every verdict and actual value the full one gives', async () => {
  // The live host changes under the test: other tests open and close listening ports between the
  // two collections. A difference must show in three tries in a row to be the collector's.
  for (let attempt = 1; ; attempt++) {
    try {
      await assertSameVerdicts(openTarget({}))
      return
    } catch (error) {
      if (attempt === 3) throw error
    }
  }
})
