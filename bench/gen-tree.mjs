#!/usr/bin/env node
// Generates a deterministic file tree for benchmarking driftwatch against AIDE.
//
// Usage: node bench/gen-tree.mjs DIR [--files N] [--mb M] [--seed S]
//
// The same arguments always give the same tree: names, sizes, contents, modes,
// mtimes, symlinks and hard links (only inode numbers and ctimes differ).
// Defaults: 20,000 small files (0 B to 32 KiB, log-uniform) spread over a few
// hundred directories up to 5 levels deep, plus a handful of large files
// (several MiB each) that bring the total to at least 200 MiB, ~1% symlinks
// (to files, to directories, a few dangling) and a few hard links.
// File contents are an AES-128-CTR keystream keyed by the seed: incompressible,
// distinct per file, and fast to produce.

import { createCipheriv, createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

const MIB = 1024 * 1024

function usage(message) {
  if (message) console.error(`gen-tree: ${message}`)
  console.error('usage: node bench/gen-tree.mjs DIR [--files N] [--mb M] [--seed S]')
  process.exit(2)
}

function parseArgs(argv) {
  const opts = { dir: null, files: 20000, mb: 200, seed: 1 }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--files' || arg === '--mb' || arg === '--seed') {
      const value = Number(argv[++i])
      if (!Number.isInteger(value) || value < 0) usage(`${arg} needs a non-negative integer`)
      opts[arg.slice(2)] = value
    } else if (arg === '-h' || arg === '--help') {
      usage()
    } else if (arg.startsWith('-')) {
      usage(`unknown option ${arg}`)
    } else if (opts.dir === null) {
      opts.dir = arg
    } else {
      usage(`unexpected argument ${arg}`)
    }
  }
  if (opts.dir === null) usage('missing DIR')
  if (opts.files < 1) usage('--files must be at least 1')
  return opts
}

// sfc32: small, fast, seedable PRNG; returns floats in [0, 1).
function makeRng(seed) {
  let a = 0x9e3779b9
  let b = 0x243f6a88
  let c = 0xb7e15162
  let d = seed >>> 0
  const next = () => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 20; i++) next()
  return next
}

const DIR_WORDS = [
  'lib',
  'share',
  'src',
  'doc',
  'etc',
  'cache',
  'conf',
  'data',
  'include',
  'bin',
  'modules',
  'assets',
  'locale',
  'tmpl',
  'plugins',
  'static',
  'vendor',
  'man',
  'python3',
  'x86_64',
]
const FILE_WORDS = [
  'index',
  'config',
  'readme',
  'module',
  'util',
  'main',
  'core',
  'table',
  'schema',
  'notes',
  'image',
  'font',
  'policy',
  'keys',
  'manifest',
  'helper',
  'parser',
  'format',
]
const EXTS = [
  'txt',
  'conf',
  'so',
  'py',
  'js',
  'json',
  'gz',
  'png',
  'h',
  'c',
  'md',
  'xml',
  'dat',
  '',
]

function main() {
  const opts = parseArgs(process.argv.slice(2))
  const started = Date.now()
  const root = path.resolve(opts.dir)
  if (fs.existsSync(root) && fs.readdirSync(root).length > 0) {
    usage(`${root} exists and is not empty`)
  }
  fs.mkdirSync(root, { recursive: true })

  const rng = makeRng(opts.seed)
  const int = (lo, hi) => lo + Math.floor(rng() * (hi - lo + 1))
  const pick = (list) => list[Math.floor(rng() * list.length)]
  const key = createHash('sha256')
    .update(`driftwatch-bench-seed-${opts.seed}`)
    .digest()
    .subarray(0, 16)
  const baseTime = Date.UTC(2023, 0, 1) / 1000
  const randomTime = () => baseTime + int(0, 365 * 24 * 3600)

  // Directories: each new one hangs under a random existing directory above depth 5.
  const dirCount = Math.max(20, Math.round(opts.files / 60))
  const dirs = [{ rel: '', depth: 0 }]
  for (let i = 1; i < dirCount; i++) {
    const candidates = dirs.filter((d) => d.depth < 5)
    const parent = pick(candidates)
    let name = `${pick(DIR_WORDS)}-${String(i).padStart(3, '0')}`
    if (i % 97 === 0) name = `My Files ${i}`
    if (i % 131 === 0) name = `données-${i}`
    const rel = parent.rel === '' ? name : `${parent.rel}/${name}`
    dirs.push({ rel, depth: parent.depth + 1 })
    fs.mkdirSync(path.join(root, rel))
  }

  // Plan regular files: many small ones, then large ones to reach --mb.
  const files = []
  let smallBytes = 0
  for (let i = 0; i < opts.files; i++) {
    const r = rng()
    let size
    if (r < 0.005) size = 0
    else size = Math.round(100 * Math.pow(32768 / 100, rng()))
    smallBytes += size
    files.push({ size })
  }
  const targetBytes = opts.mb * MIB
  const remaining = Math.max(targetBytes - smallBytes, 3 * 2 * MIB)
  const largeCount = Math.max(3, Math.ceil(remaining / (8 * MIB)))
  let largeBytes = 0
  for (let i = 0; i < largeCount; i++) {
    let size
    if (i < largeCount - 1) size = Math.round((remaining / largeCount) * (0.5 + rng()))
    else size = Math.max(MIB, remaining - largeBytes)
    largeBytes += size
    files.push({ size, large: true })
  }

  // Write files. A shared zero buffer is encrypted per file (IV = file index).
  const zero = Buffer.alloc(files.reduce((max, f) => Math.max(max, f.size), 1))
  const paths = []
  files.forEach((file, index) => {
    const dir = pick(dirs)
    const ext = pick(EXTS)
    const base = file.large ? `large-${index}` : `${pick(FILE_WORDS)}-${index}`
    const name = ext === '' ? base : `${base}.${ext}`
    const rel = dir.rel === '' ? name : `${dir.rel}/${name}`
    const iv = Buffer.alloc(16)
    iv.writeUInt32BE(index, 0)
    const cipher = createCipheriv('aes-128-ctr', key, iv)
    const content = cipher.update(zero.subarray(0, file.size))
    const r = rng()
    const mode = r < 0.8 ? 0o644 : r < 0.95 ? 0o755 : 0o600
    const full = path.join(root, rel)
    fs.writeFileSync(full, content, { mode })
    fs.chmodSync(full, mode)
    const t = randomTime()
    fs.utimesSync(full, t, t)
    paths.push(rel)
  })

  // Hard links: ~0.1% of files get a second name in another directory.
  const hardCount = Math.max(2, Math.round(opts.files / 1000))
  for (let i = 0; i < hardCount; i++) {
    const target = pick(paths)
    const dir = pick(dirs)
    const rel = dir.rel === '' ? `hard-${i}` : `${dir.rel}/hard-${i}`
    fs.linkSync(path.join(root, target), path.join(root, rel))
  }

  // Symlinks: ~1% of files; 70% to files, 20% to directories, 10% dangling.
  const linkCount = Math.max(5, Math.round(opts.files / 100))
  for (let i = 0; i < linkCount; i++) {
    const dir = pick(dirs)
    const rel = dir.rel === '' ? `link-${i}` : `${dir.rel}/link-${i}`
    const r = rng()
    let targetRel
    if (r < 0.7) targetRel = pick(paths)
    else if (r < 0.9) targetRel = pick(dirs).rel
    else targetRel = `missing/nowhere-${i}`
    const from = path.dirname(path.join(root, rel))
    const target = path.relative(from, path.join(root, targetRel)) || '.'
    const full = path.join(root, rel)
    fs.symlinkSync(target, full)
    const t = randomTime()
    fs.lutimesSync(full, t, t)
  }

  // Directory modes and mtimes last, deepest first, since writing into a
  // directory changes its mtime.
  const byDepth = [...dirs].sort((x, y) => y.depth - x.depth)
  for (const dir of byDepth) {
    const full = path.join(root, dir.rel)
    fs.chmodSync(full, rng() < 0.9 ? 0o755 : 0o750)
    const t = randomTime()
    fs.utimesSync(full, t, t)
  }

  const totalBytes = smallBytes + largeBytes
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  console.error(
    `gen-tree: ${root}: ${files.length} files (${largeCount} large), ` +
      `${(totalBytes / MIB).toFixed(1)} MiB, ${dirs.length} dirs, ` +
      `${linkCount} symlinks, ${hardCount} hard links in ${seconds} s`,
  )
}

main()
