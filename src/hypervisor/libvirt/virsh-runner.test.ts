// Real virsh with libvirt's built-in test driver (test:///default needs no daemon).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import { DriftwatchError } from '../../errors/index.js'
import { virshCommand } from './virsh-command.js'
import { ExecVirshRunner } from './virsh-runner.js'

const HAS_VIRSH = spawnSync('virsh', ['--version']).status === 0
const SKIP = HAS_VIRSH ? false : 'virsh is not installed (scripts/ensure-libvirt.sh installs it)'

test(
  'one virsh process answers many commands, one output each, failures left empty',
  { skip: SKIP },
  async () => {
    const virsh = new ExecVirshRunner({ uri: 'test:///default' })
    const { outputs, errors } = await virsh.run([
      'domstate --domain test',
      'dumpxml --domain no-such-domain',
      'list --all --uuid',
    ])
    assert.equal(outputs.length, 3)
    assert.equal(outputs[0]?.trim(), 'running')
    assert.equal(outputs[1], '')
    assert.match(errors, /failed to get domain 'no-such-domain'/)
    assert.match(outputs[2] ?? '', /^6695eb01-f6a4-8304-79aa-97f2502e193f$/m)
  },
)

test(
  'arguments reach virsh as given: quotes, semicolons, spaces, backslashes',
  { skip: SKIP },
  async () => {
    const virsh = new ExecVirshRunner({ uri: 'test:///default' })
    const values = ["it's", 'a;b', 'x  y', 'back\\slash "q"', '/img/vm 1.qcow2', 'plain-name']
    const { outputs } = await virsh.run(values.map((value) => virshCommand('echo', '--str', value)))
    assert.deepEqual(outputs, values)
  },
)

test(
  'a batch longer than one argument may hold is split over several virsh processes',
  { skip: SKIP },
  async () => {
    const virsh = new ExecVirshRunner({ uri: 'test:///default' })
    const commands = Array.from({ length: 3000 }, (_, index) => `echo n${index}`)
    const { outputs } = await virsh.run(commands)
    assert.equal(outputs.length, 3000)
    assert.equal(outputs[2999], 'n2999')
  },
)

test(
  'a URI virsh cannot connect to is DW_ERR_HYPERVISOR_UNREACHABLE, named without its login',
  { skip: SKIP },
  async () => {
    const virsh = new ExecVirshRunner({
      uri: 'test+unix://admin:s3cret@/default?socket=/nonexistent/libvirt-sock',
    })
    await assert.rejects(virsh.run(['hostname']), (error: unknown) => {
      assert.ok(error instanceof DriftwatchError)
      assert.equal(error.code, 'DW_ERR_HYPERVISOR_UNREACHABLE')
      assert.match(error.message, /test\+unix:\/\/\/default\?socket=\/nonexistent\/libvirt-sock/)
      assert.match(error.message, /Failed to connect socket/)
      assert.doesNotMatch(error.message, /s3cret|admin/)
      return true
    })
  },
)

test('a missing virsh program is DW_ERR_HYPERVISOR_UNREACHABLE saying what to install', async () => {
  const virsh = new ExecVirshRunner({ uri: 'test:///default', virsh: '/nonexistent/virsh' })
  await assert.rejects(virsh.run(['hostname']), /virsh is not installed/)
})
