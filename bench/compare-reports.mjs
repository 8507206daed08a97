#!/usr/bin/env node
// Cross-checks what AIDE and driftwatch report after the same change set: parses an AIDE 0.18
// plain `--check` report and a `driftwatch check --format json` report into added / removed /
// changed path sets, and prints per category the counts and the paths only one tool reports, and,
// for entries both report as changed, whether they name the same changed attributes. Markdown
// list lines on stdout; exits 0 (2 on a usage error) so that a benchmark report always continues.
//
// Usage: node bench/compare-reports.mjs AIDE_REPORT DRIFTWATCH_JSON [--root DIR]
//
// Paths are compared as raw bytes. AIDE's report prints file names raw except control characters
// (\ooo, octal) and a backslash followed by three digits (\134); driftwatch writes non-UTF-8
// bytes, control characters and the backslash as \xNN. AIDE's paths are relative to root_prefix
// (driftwatch's keys are `file:` + the path inside the scanned root); a report without a
// "Root prefix:" line has absolute paths, from which --root DIR is stripped.

import fs from 'node:fs'

const LIST_MAX = 20
const ATTR_SAMPLE_MAX = 10
const CATEGORIES = ['added', 'removed', 'changed']

// AIDE's summary string (report_summarize_changes): its first 13 columns are always, in this
// order, ftype, linkname, size, bcount, perm, uid, gid, atime, mtime, ctime, inode, linkcount and
// hashsums (compiled-in ACL/xattr/SELinux/e2fsattrs/caps columns follow). Mapped to driftwatch's
// attribute names; null for attributes driftwatch does not record.
const AIDE_COLUMNS = [
  'type',
  'target',
  'size',
  null,
  'mode',
  'uid',
  'gid',
  null,
  'mtime',
  'ctime',
  'inode',
  'nlink',
  'sha256',
]
const COMPARED = new Set(AIDE_COLUMNS.filter((name) => name !== null))

function usage(message) {
  if (message) console.error(`compare-reports: ${message}`)
  console.error('usage: node bench/compare-reports.mjs AIDE_REPORT DRIFTWATCH_JSON [--root DIR]')
  process.exit(2)
}

const args = process.argv.slice(2)
const files = []
let root = null
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--root') root = args[++i] ?? usage('--root needs a directory')
  else if (args[i].startsWith('-')) usage(`unknown option ${args[i]}`)
  else files.push(args[i])
}
if (files.length !== 2) usage('needs AIDE_REPORT and DRIFTWATCH_JSON')
const [aideFile, dwFile] = files

// Paths are "byte strings": one char per byte (latin1), so any name compares exactly.
const utf8ToBytes = (text) => Buffer.from(text, 'utf8').toString('latin1')

// ---------------------------------------------------------------- AIDE

// AIDE writes a control character as \ooo and a backslash as \134 when three digits follow it (so
// that the result is unambiguous); every other byte, UTF-8 or not, is printed as it is.
function decodeAidePath(text) {
  return text.replace(/\\([0-9]{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)))
}

function parseAide(file) {
  const text = fs.readFileSync(file).toString('latin1')
  const sets = { added: new Map(), removed: new Map(), changed: new Map() }
  const summary = {}
  let prefix = null
  let section = null
  const escaped = new Set()
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line.startsWith('Root prefix: ')) prefix = line.slice('Root prefix: '.length)
    const count = /^ {2}(Added|Removed|Changed) entries:\s+(\d+)$/.exec(line)
    if (count) summary[count[1].toLowerCase()] = Number(count[2])
    // Section titles sit between two dashed lines.
    if (/^-{20,}$/.test(lines[i - 1] ?? '') && /^-{20,}$/.test(lines[i + 1] ?? '')) {
      const title = /^(Added|Removed|Changed) entries:$/.exec(line)
      if (title) section = title[1].toLowerCase()
      else if (/entries:$/.test(line))
        section = 'mixed' // report_grouped=no
      else section = null
      continue
    }
    if (section === null) continue
    // "f > ... mc..H     : /path"; the summary string holds no '/', so the first ": /" splits.
    const entry = /^(\S[^/]*?): (\/.*)$/.exec(line)
    if (!entry) continue
    let [, flags, shown] = entry
    let category = section
    if (section === 'mixed') {
      category = /^.\++$/.test(flags) ? 'added' : /^.-+$/.test(flags) ? 'removed' : 'changed'
    }
    if (flags === 'added' || flags === 'removed' || flags === 'changed') {
      category = flags // report_summarize_changes=no
      flags = null
    }
    let raw = decodeAidePath(shown)
    const wasEscaped = raw !== shown
    if (prefix === null && root !== null) {
      const rootBytes = utf8ToBytes(root.replace(/\/+$/, ''))
      if (raw === rootBytes) raw = '/'
      else if (raw.startsWith(`${rootBytes}/`)) raw = raw.slice(rootBytes.length)
    }
    if (wasEscaped) escaped.add(raw)
    sets[category].set(raw, flags)
  }
  return { sets, summary, prefix, escaped }
}

// Attributes a changed line's summary string marks as changed ('.', ' ', '=' and ':' mean not
// changed, not checked or ignored; a letter, '<', '>', '+' or '-' means changed).
function aideChangedAttributes(flags) {
  const names = new Set()
  AIDE_COLUMNS.forEach((name, column) => {
    const c = flags[column]
    if (name === null || c === undefined) return
    if (column === 0 ? c === '!' : !'. =:'.includes(c)) names.add(name)
  })
  return names
}

// ---------------------------------------------------------------- driftwatch

// driftwatch's display form: UTF-8 text, with \xNN for every byte that is not printable UTF-8
// (a backslash itself is \x5c).
function decodeDriftwatchPath(text) {
  let raw = ''
  let last = 0
  for (const match of text.matchAll(/\\x([0-9a-f]{2})/g)) {
    raw += utf8ToBytes(text.slice(last, match.index))
    raw += String.fromCharCode(parseInt(match[1], 16))
    last = match.index + match[0].length
  }
  return raw + utf8ToBytes(text.slice(last))
}

function parseDriftwatch(file) {
  const report = JSON.parse(fs.readFileSync(file, 'utf8'))
  const sets = { added: new Map(), removed: new Map(), changed: new Map() }
  const category = { added: 'added', removed: 'removed', modified: 'changed' }
  const escaped = new Set()
  let otherKeys = 0
  for (const change of report.changes ?? []) {
    if (typeof change.key !== 'string' || !change.key.startsWith('file:')) {
      otherKeys++
      continue
    }
    const shown = change.key.slice('file:'.length)
    const raw = decodeDriftwatchPath(shown)
    if (raw !== utf8ToBytes(shown)) escaped.add(raw)
    const fields = Object.keys(change.fields ?? {}).filter((name) => COMPARED.has(name))
    sets[category[change.change] ?? 'changed'].set(raw, new Set(fields))
  }
  const notChecked = Array.isArray(report.notChecked) ? report.notChecked.length : 0
  return { sets, escaped, otherKeys, notChecked }
}

// ---------------------------------------------------------------- output

// Characters shown as their bytes, as driftwatch does: C1 controls, the byte-order mark and the
// bidirectional-text and zero-width format characters (invisible, or they reorder what follows).
const disguises = (cp) =>
  (cp >= 0x80 && cp <= 0x9f) ||
  cp === 0xfeff ||
  (cp >= 0x200b && cp <= 0x200f) ||
  (cp >= 0x202a && cp <= 0x202e) ||
  (cp >= 0x2066 && cp <= 0x2069)

// A byte string for a markdown code span: printable UTF-8 as text, anything else (and the
// backslash and backtick) as \xNN.
function show(raw) {
  const bytes = Buffer.from(raw, 'latin1')
  let out = ''
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]
    if (b >= 0x20 && b < 0x7f && b !== 0x5c && b !== 0x60) {
      out += String.fromCharCode(b)
      i++
      continue
    }
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    if (length > 1) {
      try {
        const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
        const character = decoder.decode(bytes.subarray(i, i + length))
        if (!disguises(character.codePointAt(0))) {
          out += character
          i += length
          continue
        }
      } catch {
        // not a valid sequence
      }
    }
    out += `\\x${b.toString(16).padStart(2, '0')}`
    i++
  }
  return `\`${out}\``
}

function listPaths(paths) {
  const sorted = [...paths].sort()
  const shown = sorted.slice(0, LIST_MAX).map(show).join(', ')
  const more = sorted.length > LIST_MAX ? `, … and ${sorted.length - LIST_MAX} more` : ''
  return shown + more
}

const attrList = (names) => (names.size === 0 ? 'none' : [...names].sort().join(','))

function main() {
  let aide
  let dw
  try {
    aide = parseAide(aideFile)
  } catch (error) {
    console.log(`- cross-check: cannot read AIDE's report ${aideFile}: ${error.message}`)
    return
  }
  try {
    dw = parseDriftwatch(dwFile)
  } catch (error) {
    console.log(`- cross-check: cannot read driftwatch's report ${dwFile}: ${error.message}`)
    return
  }

  for (const category of CATEGORIES) {
    const a = aide.sets[category]
    const d = dw.sets[category]
    const onlyAide = [...a.keys()].filter((p) => !d.has(p))
    const onlyDw = [...d.keys()].filter((p) => !a.has(p))
    let line = `- ${category}: aide ${a.size}, driftwatch ${d.size}, `
    if (onlyAide.length === 0 && onlyDw.length === 0) {
      line += 'identical'
    } else {
      line += `**differ**: ${onlyAide.length} only in aide, ${onlyDw.length} only in driftwatch`
    }
    if (category === 'changed') {
      const dirs = [...a.values()].filter((flags) => flags?.[0] === 'd').length
      line += ` (aide: ${dirs} of them directories)`
    }
    console.log(line)
    if (onlyAide.length > 0) console.log(`  - only aide: ${listPaths(onlyAide)}`)
    if (onlyDw.length > 0) console.log(`  - only driftwatch: ${listPaths(onlyDw)}`)
  }

  // AIDE's own summary must match the entries listed, or the report was cut short or misread.
  const mismatches = CATEGORIES.filter(
    (c) => aide.summary[c] !== undefined && aide.summary[c] !== aide.sets[c].size,
  ).map((c) => `${c} ${aide.summary[c]} in its summary, ${aide.sets[c].size} listed`)
  if (Object.keys(aide.summary).length === 0) {
    console.log("- AIDE's report has no Summary block (report_level below summary?)")
  } else if (mismatches.length > 0) {
    console.log(`- **AIDE's summary and listed entries disagree**: ${mismatches.join('; ')}`)
  } else {
    console.log("- AIDE's summary counts match the entries it lists (the lists are complete)")
  }
  if (aide.prefix === null && root === null) {
    console.log('- note: AIDE\'s report has no "Root prefix:" line, so its paths may be absolute')
  }

  const all = new Set()
  for (const tool of [aide, dw]) {
    for (const set of Object.values(tool.sets)) for (const p of set.keys()) all.add(p)
  }
  const normalised = new Set([...aide.escaped, ...dw.escaped])
  const spaced = [...all].filter((p) => /[ \x80-\xff]/.test(p)).length
  console.log(
    `- path normalisation: ${normalised.size} of the ${all.size} paths reported needed decoding ` +
      `to raw bytes before comparing (${aide.escaped.size} with AIDE's \\ooo escapes, ` +
      `${dw.escaped.size} with driftwatch's \\xNN escapes); ${spaced} contain spaces or ` +
      'non-ASCII bytes (AIDE prints all of those raw; driftwatch escapes the bytes of any that are not printable UTF-8)',
  )
  if (dw.otherKeys > 0 || dw.notChecked > 0) {
    console.log(
      `- driftwatch also reported ${dw.otherKeys} non-file change(s) and ` +
        `${dw.notChecked} element(s) not checked`,
    )
  }

  // Attributes, for the entries both report as changed.
  const both = [...aide.sets.changed.keys()].filter((p) => dw.sets.changed.has(p)).sort()
  const flagged = both.filter((p) => aide.sets.changed.get(p) !== null)
  if (flagged.length === 0) {
    if (both.length > 0)
      console.log('- attributes: not compared (AIDE report_summarize_changes=no)')
    return
  }
  const differing = []
  for (const p of flagged) {
    const fromAide = aideChangedAttributes(aide.sets.changed.get(p))
    const fromDw = dw.sets.changed.get(p)
    const same = fromAide.size === fromDw.size && [...fromAide].every((n) => fromDw.has(n))
    if (!same)
      differing.push(`${show(p)} aide ${attrList(fromAide)} / driftwatch ${attrList(fromDw)}`)
  }
  const compared = [...COMPARED].join(', ')
  if (differing.length === 0) {
    console.log(
      `- attributes: for all ${flagged.length} entries both report as changed, both name the ` +
        `same changed attributes (of ${compared})`,
    )
  } else {
    console.log(
      `- attributes: for ${flagged.length - differing.length} of ${flagged.length} entries both ` +
        `report as changed, both name the same changed attributes (of ${compared}); ` +
        `**${differing.length} differ**:`,
    )
    for (const item of differing.slice(0, ATTR_SAMPLE_MAX)) console.log(`  - ${item}`)
    if (differing.length > ATTR_SAMPLE_MAX) {
      console.log(`  - … and ${differing.length - ATTR_SAMPLE_MAX} more`)
    }
  }
}

main()
