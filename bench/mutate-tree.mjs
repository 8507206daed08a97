#!/usr/bin/env node
// Applies a fixed, small change set to a tree so that an integrity check has
// something to find: modify 50 files' content, chmod 20, delete 20, add 20.
//
// Usage: node bench/mutate-tree.mjs DIR [--seed S]
//
// Works on any tree (generated or a copy of /usr); the files are chosen by a
// seeded shuffle of the sorted file list, so the same tree and seed always get
// the same changes. Half of the content changes append bytes (size and mtime
// change); the other half overwrite bytes in place and then restore the old
// mtime, so only a content hash (or ctime) can see them. Refuses to touch
// system directories.

import fs from 'node:fs'
import path from 'node:path'

const COUNTS = { modify: 50, chmod: 20, remove: 20, add: 20 }
const REFUSE = [
  '/',
  '/usr',
  '/etc',
  '/bin',
  '/sbin',
  '/lib',
  '/lib64',
  '/var',
  '/home',
  '/root',
  '/boot',
  '/opt',
  '/srv',
  '/work',
  '/tmp',
  '/var/tmp',
]

function usage(message) {
  if (message) console.error(`mutate-tree: ${message}`)
  console.error('usage: node bench/mutate-tree.mjs DIR [--seed S]')
  process.exit(2)
}

// mulberry32: small seedable PRNG; returns floats in [0, 1).
function makeRng(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const args = process.argv.slice(2)
let root = null
let seed = 7
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--seed') seed = Number(args[++i])
  else if (args[i].startsWith('-')) usage(`unknown option ${args[i]}`)
  else if (root === null) root = args[i]
  else usage(`unexpected argument ${args[i]}`)
}
if (root === null) usage('missing DIR')
if (!Number.isInteger(seed)) usage('--seed needs an integer')
root = fs.realpathSync(root)
if (REFUSE.includes(root)) usage(`refusing to mutate ${root}`)

// Link count of a file, or 0 if it cannot be read (for example a name that
// is not valid UTF-8).
const lstatNlink = (file) => {
  try {
    return fs.lstatSync(file).nlink
  } catch {
    return 0
  }
}

// Sorted walk: regular files with a single link (so a change touches one
// name only), and all directories.
const files = []
const dirs = []
const walk = (dir) => {
  dirs.push(dir)
  const entries = fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(full)
    else if (entry.isFile() && lstatNlink(full) === 1) files.push(full)
  }
}
walk(root)

const needed = COUNTS.modify + COUNTS.chmod + COUNTS.remove
if (files.length < needed) usage(`${root} has only ${files.length} files, need ${needed}`)

const rng = makeRng(seed)
for (let i = files.length - 1; i > 0; i--) {
  const j = Math.floor(rng() * (i + 1))
  const tmp = files[i]
  files[i] = files[j]
  files[j] = tmp
}
const toModify = files.slice(0, COUNTS.modify)
const toChmod = files.slice(COUNTS.modify, COUNTS.modify + COUNTS.chmod)
const toRemove = files.slice(COUNTS.modify + COUNTS.chmod, needed)

let sneaky = 0
toModify.forEach((file, i) => {
  const st = fs.statSync(file)
  if (i % 2 === 0 && st.size > 0) {
    // Same size, same mtime: flip up to 16 bytes in place, then restore times.
    const fd = fs.openSync(file, 'r+')
    const buf = Buffer.alloc(Math.min(16, st.size))
    fs.readSync(fd, buf, 0, buf.length, 0)
    for (let k = 0; k < buf.length; k++) buf[k] ^= 0xff
    fs.writeSync(fd, buf, 0, buf.length, 0)
    fs.closeSync(fd)
    fs.utimesSync(file, st.atime, st.mtime)
    sneaky++
  } else {
    fs.appendFileSync(file, `driftwatch-bench mutation ${i}\n`)
  }
})
for (const file of toChmod) {
  const mode = fs.statSync(file).mode & 0o7777
  fs.chmodSync(file, mode ^ 0o020)
}
for (const file of toRemove) fs.unlinkSync(file)
for (let i = 0; i < COUNTS.add; i++) {
  const dir = dirs[Math.floor(rng() * dirs.length)]
  fs.writeFileSync(path.join(dir, `dw-bench-added-${i}.dat`), `added by mutate-tree ${i}\n`)
}

console.error(
  `mutate-tree: ${root}: modified ${toModify.length} (${sneaky} same size with mtime restored), ` +
    `chmod ${toChmod.length}, deleted ${toRemove.length}, added ${COUNTS.add}`,
)
