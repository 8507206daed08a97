// Hostile trees: links out of the root, FIFOs, sockets, devices and files that vanish mid-scan.
// The scan finishes, reports each as what it is, and reads nothing outside the root.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
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
  onDirectoryListed?: (rawHostPath: string) => void,
): Promise<{ elements: Map<string, Element>; result: FileScanResult }> {
  const elements = new Map<string, Element>()
  const collector = new FileCollector(
    openTarget({ root }),
    parseFileRules(rulesYaml, 'rules.yaml'),
    {
      ...(onDirectoryListed === undefined ? {} : { onDirectoryListed }),
    },
  )
  const result = await collector.collect((element) =>
    elements.set(element.key, deserializeElement(element)),
  )
  return { elements, result }
}

// Keep the content of everything: if anything were read through a link, it would show.
const KEEP_ALL = 'rules:\n  - path: /\n    content: ["/**"]\n'

test(
  'links out of the root are recorded with their target and never followed',
  { timeout: 30_000 },
  async (t) => {
    const outside = tempDir(t, 'dw-outside-')
    const secret = join(outside, 'secret.txt')
    writeFileSync(secret, 'TOP SECRET outside the root\n')
    const secretDigest = createHash('sha256').update(readFileSync(secret)).digest('hex')

    const root = join(tempDir(t), 'root')
    mkdirSync(join(root, 'etc'), { recursive: true })
    symlinkSync('/etc/shadow', join(root, 'etc/shadow-link'))
    symlinkSync('../../../../../../../../', join(root, 'up'))
    symlinkSync(secret, join(root, 'secret-link'))
    symlinkSync(outside, join(root, 'outside-dir'))
    symlinkSync('loop-b', join(root, 'loop-a'))
    symlinkSync('loop-a', join(root, 'loop-b'))

    const { elements, result } = await scan(root, KEEP_ALL)

    assert.deepEqual(elements.get('file:/etc/shadow-link')?.attributes['target'], '/etc/shadow')
    assert.equal(elements.get('file:/up')?.attributes['type'], 'symlink')
    assert.equal(elements.get('file:/up')?.attributes['target'], '../../../../../../../../')
    assert.equal(elements.get('file:/secret-link')?.attributes['type'], 'symlink')
    assert.equal(elements.get('file:/outside-dir')?.attributes['type'], 'symlink')
    assert.equal(elements.get('file:/loop-a')?.attributes['target'], 'loop-b')
    for (const element of elements.values()) {
      assert.ok(element.key.startsWith('file:/'), element.key)
      assert.notEqual(
        element.attributes['sha256'],
        secretDigest,
        `${element.key} must not hash the outside file`,
      )
      assert.ok(
        !(element.content ?? '').includes('TOP SECRET'),
        `${element.key} holds no outside content`,
      )
      assert.ok(
        !element.key.includes('secret.txt'),
        `nothing under the outside directory: ${element.key}`,
      )
    }
    assert.equal(elements.size, 8, 'the root, /etc and six links, nothing else')
    assert.deepEqual(result.notChecked, [])
  },
)

test('a rule whose path goes through a symlink out of the root is refused, not followed', async (t) => {
  const root = join(tempDir(t), 'root')
  mkdirSync(root)
  symlinkSync('/etc', join(root, 'etc'))
  const { elements, result } = await scan(root, 'rules:\n  - path: /etc/ssh\n  - path: /etc\n')
  assert.deepEqual([...elements.keys()], ['file:/etc'])
  assert.equal(elements.get('file:/etc')?.attributes['type'], 'symlink')
  assert.deepEqual(
    result.notChecked.map((item) => [item.path, item.reason]),
    [['/etc/ssh', 'rule-path-through-symlink']],
  )
})

test(
  'FIFOs, sockets and devices are recorded as what they are and never opened',
  { timeout: 30_000 },
  async (t) => {
    const root = join(tempDir(t), 'root')
    mkdirSync(join(root, 'dev'), { recursive: true })
    execFileSync('mkfifo', [join(root, 'dev/fifo')])
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(join(root, 'dev/socket'), resolve))
    t.after(() => server.close())
    let haveDevice = true
    try {
      execFileSync('mknod', [join(root, 'dev/null'), 'c', '1', '3'], { stdio: 'ignore' })
    } catch {
      haveDevice = false // not root: the rest still holds
    }

    // A FIFO opened for reading with no writer would block forever: finishing at all is the test.
    const { elements, result } = await scan(root, KEEP_ALL)
    assert.equal(elements.get('file:/dev/fifo')?.attributes['type'], 'fifo')
    assert.equal(elements.get('file:/dev/fifo')?.attributes['sha256'], undefined)
    assert.equal(elements.get('file:/dev/socket')?.attributes['type'], 'socket')
    if (haveDevice) assert.equal(elements.get('file:/dev/null')?.attributes['type'], 'char-device')
    assert.deepEqual(result.notChecked, [])
  },
)

test('a file that vanishes mid-scan is reported as vanished and the scan goes on', async (t) => {
  const root = join(tempDir(t), 'root')
  mkdirSync(join(root, 'data'), { recursive: true })
  for (let i = 0; i < 20; i++) writeFileSync(join(root, 'data', `f${i}`), `file ${i}\n`)
  const { elements, result } = await scan(root, 'rules:\n  - path: /\n', (rawHostPath) => {
    if (rawHostPath.endsWith('/data')) unlinkSync(join(root, 'data/f7'))
  })
  assert.equal(elements.has('file:/data/f7'), false)
  assert.equal(elements.size, 2 + 19, 'the root, /data and the 19 files that stayed')
  assert.deepEqual(
    result.notChecked.map((item) => [item.path, item.reason]),
    [['/data/f7', 'vanished']],
  )
})

test('a file name that is not UTF-8 is escaped reversibly and its content still hashed', async (t) => {
  const root = join(tempDir(t), 'root')
  mkdirSync(root)
  const name = Buffer.concat([
    Buffer.from(`${root}/bad-`),
    Buffer.from([0xff, 0xfe, 0x5c]),
    Buffer.from('.txt'),
  ])
  writeFileSync(name, 'content\n')
  const { elements } = await scan(root, 'rules:\n  - path: /\n')
  const element = elements.get('file:/bad-\\xff\\xfe\\x5c.txt')
  assert.ok(element, `escaped key present; got ${[...elements.keys()].join(', ')}`)
  assert.equal(element.attributes['sha256'], createHash('sha256').update('content\n').digest('hex'))
})

test('a rule can name a directory that is not UTF-8, written as it is shown', async (t) => {
  const root = join(tempDir(t), 'root')
  mkdirSync(root)
  const raw = Buffer.concat([Buffer.from(`${root}/d`), Buffer.from([0xff]), Buffer.from('ir')])
  mkdirSync(raw)
  writeFileSync(Buffer.concat([raw, Buffer.from('/inside')]), 'x\n')
  const { elements, result } = await scan(root, 'rules:\n  - path: "/d\\\\xffir"\n')
  assert.deepEqual(result.notChecked, [])
  assert.deepEqual([...elements.keys()].sort(), ['file:/d\\xffir', 'file:/d\\xffir/inside'])
})
