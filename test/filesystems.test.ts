// A scan stays on one filesystem unless the rules say otherwise, never enters pseudo filesystems,
// and reports a file that is written while it is read instead of a torn digest.
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { FileCollector, type FileScanResult } from '../src/collect/index.js'
import { parseFileRules } from '../src/collect/files/file-rules-loader.js'
import { deserializeElement, type Element } from '../src/model/index.js'
import { openTarget } from '../src/target/index.js'
import { tempDir } from './support/temp-tree.js'

async function scan(
  root: string,
  rulesYaml: string,
): Promise<{ elements: Map<string, Element>; result: FileScanResult }> {
  const elements = new Map<string, Element>()
  const collector = new FileCollector(openTarget({ root }), parseFileRules(rulesYaml, 'rules.yaml'))
  const result = await collector.collect((element) =>
    elements.set(element.key, deserializeElement(element)),
  )
  return { elements, result }
}

function tryMount(args: string[]): boolean {
  try {
    execFileSync('mount', args, { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

test('a mount point is recorded but not entered, unless oneFilesystem is false', async (t) => {
  const root = join(tempDir(t), 'root')
  mkdirSync(join(root, 'mnt/other'), { recursive: true })
  writeFileSync(join(root, 'on-root.txt'), 'root fs\n')
  if (!tryMount(['-t', 'tmpfs', 'driftwatch-test', join(root, 'mnt/other')])) {
    t.skip('mounting a tmpfs needs root (CAP_SYS_ADMIN)')
    return
  }
  // Unmounted before the temporary folder is removed (after-hooks run first to last).
  try {
    await assertStaysOnOneFilesystem(root)
  } finally {
    execFileSync('umount', [join(root, 'mnt/other')])
  }
})

async function assertStaysOnOneFilesystem(root: string): Promise<void> {
  writeFileSync(join(root, 'mnt/other/on-tmpfs.txt'), 'other fs\n')
  const stay = await scan(root, 'rules:\n  - path: /\n')
  assert.ok(stay.elements.has('file:/mnt/other'), 'the mount point itself is recorded')
  assert.ok(!stay.elements.has('file:/mnt/other/on-tmpfs.txt'), 'its contents are not')
  assert.deepEqual(
    stay.result.notChecked.map((item) => [item.path, item.reason]),
    [['/mnt/other', 'other-filesystem']],
  )

  const cross = await scan(root, 'oneFilesystem: false\nrules:\n  - path: /\n')
  assert.ok(cross.elements.has('file:/mnt/other/on-tmpfs.txt'))
  assert.deepEqual(cross.result.notChecked, [])
}

test('pseudo filesystems are never entered, even when crossing filesystems is allowed', async (t) => {
  const root = join(tempDir(t), 'root')
  mkdirSync(join(root, 'proc'), { recursive: true })
  if (!tryMount(['-t', 'proc', 'proc', join(root, 'proc')])) {
    t.skip('mounting proc needs root (CAP_SYS_ADMIN)')
    return
  }
  let scanned: Awaited<ReturnType<typeof scan>>
  try {
    scanned = await scan(root, 'oneFilesystem: false\nrules:\n  - path: /\n')
  } finally {
    execFileSync('umount', [join(root, 'proc')])
  }
  const { elements, result } = scanned
  assert.deepEqual([...elements.keys()].sort(), ['file:/', 'file:/proc'])
  assert.deepEqual(
    result.notChecked.map((item) => [item.path, item.reason]),
    [['/proc', 'pseudo-filesystem']],
  )
})

test('the live host knows its pseudo filesystems from the mount table', () => {
  const mounts = openTarget({}).pseudoFilesystemMounts()
  assert.ok(mounts.has('/proc'), `got ${[...mounts].join(', ')}`)
})

test(
  'a file written while it is read is reported as changed during the scan, not given a digest',
  { timeout: 60_000 },
  async (t) => {
    const root = join(tempDir(t), 'root')
    mkdirSync(root)
    const busy = join(root, 'busy.log')
    writeFileSync(busy, Buffer.alloc(48 * 1024 * 1024, 0x61))
    writeFileSync(join(root, 'quiet.txt'), 'still\n')
    // Appends continuously for as long as the scan runs.
    const writer = spawn('sh', ['-c', `while :; do echo line >> '${busy}'; done`], {
      stdio: 'ignore',
    })
    const exited = new Promise((resolve) => writer.on('exit', resolve))
    // Stopped, and gone, before the temporary folder is removed: after-hooks run in the order
    // they were added, and a writer still appending made that removal fail (and the run hang).
    const stopWriter = async (): Promise<void> => {
      writer.kill('SIGKILL')
      await exited
    }
    let scanned: Awaited<ReturnType<typeof scan>>
    try {
      await new Promise((resolve) => setTimeout(resolve, 100))
      scanned = await scan(root, 'rules:\n  - path: /\n')
    } finally {
      await stopWriter()
    }
    const { elements, result } = scanned
    const item = result.notChecked.find((entry) => entry.path === '/busy.log')
    assert.deepEqual(item?.reason, 'changed-during-scan', JSON.stringify(result.notChecked))
    const element = elements.get('file:/busy.log')
    assert.equal(element?.attributes['type'], 'file', 'still recorded, with what could be read')
    assert.equal(element?.attributes['sha256'], undefined, 'but no digest of a torn read')
    assert.deepEqual(element?.unverified, ['sha256'])
    assert.ok(elements.get('file:/quiet.txt')?.attributes['sha256'], 'the rest of the scan goes on')
  },
)
