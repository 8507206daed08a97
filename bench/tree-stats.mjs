#!/usr/bin/env node
// Counts a tree's entries and, optionally, splits its regular files into two
// lists of about equal bytes for the two-process sha256sum "hashing limit".
//
// Usage: node bench/tree-stats.mjs TREE [--split PREFIX]
//
// Prints one line: files=N bytes=N dirs=N symlinks=N other=N
// (files and bytes count every name of a hard-linked file, as sha256sum and
// AIDE read each name). With --split it writes PREFIX.0 and PREFIX.1, each a
// NUL-separated list of absolute paths for `xargs -0`, balanced by size
// (largest first, each file to the lighter list). Symlinks are not followed.

import fs from 'node:fs'
import path from 'node:path'

function usage(message) {
  if (message) console.error(`tree-stats: ${message}`)
  console.error('usage: node bench/tree-stats.mjs TREE [--split PREFIX]')
  process.exit(2)
}

const args = process.argv.slice(2)
let tree = null
let splitPrefix = null
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--split') splitPrefix = args[++i]
  else if (args[i].startsWith('-')) usage(`unknown option ${args[i]}`)
  else if (tree === null) tree = args[i]
  else usage(`unexpected argument ${args[i]}`)
}
if (tree === null) usage('missing TREE')
if (splitPrefix === undefined) usage('--split needs PREFIX')

// Names are kept as Buffers so that non-UTF-8 file names survive.
const SLASH = Buffer.from('/')
const counts = { files: 0, bytes: 0, dirs: 0, symlinks: 0, other: 0 }
const regular = []
const stack = [Buffer.from(path.resolve(tree))]
while (stack.length > 0) {
  const dir = stack.pop()
  counts.dirs++
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })) {
    const full = Buffer.concat([dir, SLASH, entry.name])
    if (entry.isDirectory()) {
      stack.push(full)
    } else if (entry.isFile()) {
      const size = fs.lstatSync(full).size
      counts.files++
      counts.bytes += size
      if (splitPrefix !== null) regular.push({ full, size })
    } else if (entry.isSymbolicLink()) {
      counts.symlinks++
    } else {
      counts.other++
    }
  }
}

if (splitPrefix !== null) {
  regular.sort((x, y) => y.size - x.size)
  const lists = [[], []]
  const sums = [0, 0]
  const NUL = Buffer.from([0])
  for (const file of regular) {
    const side = sums[0] <= sums[1] ? 0 : 1
    lists[side].push(file.full, NUL)
    sums[side] += file.size
  }
  fs.writeFileSync(`${splitPrefix}.0`, Buffer.concat(lists[0]))
  fs.writeFileSync(`${splitPrefix}.1`, Buffer.concat(lists[1]))
}

console.log(
  Object.entries(counts)
    .map(([k, v]) => `${k}=${v}`)
    .join(' '),
)
