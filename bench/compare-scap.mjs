#!/usr/bin/env node
// compare-scap.mjs: cross-checks driftwatch's verdicts against OpenSCAP's for the tests that
// bench/ssg-map.yaml maps to SCAP Security Guide rules, and prints markdown: the counts, every
// agreement and every disagreement with both sides' evidence (driftwatch's actual / expected,
// oscap's result for each mapped rule).
//
// Usage: node bench/compare-scap.mjs ARF_XML DRIFTWATCH_JSON MAP_YAML [--arf MORE_ARF_XML …]
//
//   ARF_XML          `oscap xccdf eval --results-arf` output (or plain XCCDF results); more
//                    files with --arf: for a rule present in several, a judged result (pass /
//                    fail) wins over notapplicable / notselected, and a later file over an
//                    earlier one
//   DRIFTWATCH_JSON  `driftwatch assess --format json` output
//   MAP_YAML         `<policy>/<test>: <rule id>` or `: [<rule id>, …]` (bench/ssg-map.yaml)
//
// Verdicts: driftwatch pass → pass, fail and waived → fail, not-applicable and error → not
// judged. oscap pass and fixed → pass, fail → fail; notapplicable, notselected, notchecked,
// informational, error, unknown → not judged. A test mapped to several rules is failed by
// oscap when any of them fails, passed when all pass, otherwise not judged.
// The ARF is read with a small regex reader (rule-result idref + result), enough for oscap's
// output; no XML library is needed. Exit status 0 when the inputs could be read (disagreements
// are findings, not errors), 2 on bad usage or unreadable input.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(resolve(repo, 'package.json'))
const YAML = require('yaml')

function die(msg) {
  process.stderr.write(`compare-scap: ${msg}\n`)
  process.exit(2)
}

const args = process.argv.slice(2)
const positional = []
const extraArf = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--arf') {
    if (args[i + 1] === undefined) die('--arf needs a file')
    extraArf.push(args[++i])
  } else if (args[i] === '-h' || args[i] === '--help') {
    process.stdout.write('usage: compare-scap.mjs ARF_XML DRIFTWATCH_JSON MAP_YAML [--arf MORE_ARF_XML …]\n')
    process.exit(0)
  } else {
    positional.push(args[i])
  }
}
if (positional.length !== 3) die('usage: compare-scap.mjs ARF_XML DRIFTWATCH_JSON MAP_YAML [--arf MORE_ARF_XML …]')
const [arfFile, dwFile, mapFile] = positional

function read(file) {
  try {
    return readFileSync(file, 'utf8')
  } catch (e) {
    die(`cannot read ${file}: ${e.message}`)
  }
}

// ---------------------------------------------------------------- oscap results

const JUDGED = new Set(['pass', 'fail'])

function decode(s) {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&')
}

/** rule id → { result, title } from one ARF / XCCDF results file. */
function readArf(file) {
  const xml = read(file)
  const results = new Map()
  const re = /<(?:[\w.-]+:)?rule-result\b([^>]*)>([\s\S]*?)<\/(?:[\w.-]+:)?rule-result>/g
  let m
  while ((m = re.exec(xml))) {
    const idref = /\bidref="([^"]+)"/.exec(m[1])?.[1]
    const result = /<(?:[\w.-]+:)?result>\s*([^<\s]+)\s*</.exec(m[2])?.[1]
    if (idref && result) results.set(idref, { result })
  }
  if (results.size === 0) die(`${file}: no <rule-result idref=…><result>…</result> found (not an oscap ARF / XCCDF results file?)`)
  // Titles, when the ARF carries the benchmark (oscap puts the source datastream in it).
  const titleRe = /<(?:[\w.-]+:)?Rule\b[^>]*\bid="([^"]+)"[^>]*>\s*<(?:[\w.-]+:)?title\b[^>]*>([^<]*)</g
  while ((m = titleRe.exec(xml))) {
    const r = results.get(m[1])
    if (r && !r.title) r.title = decode(m[2]).trim()
  }
  return results
}

const oscap = new Map()
for (const file of [arfFile, ...extraArf]) {
  for (const [id, r] of readArf(file)) {
    const prev = oscap.get(id)
    if (!prev || JUDGED.has(r.result) || !JUDGED.has(prev.result)) oscap.set(id, { ...r, title: r.title ?? prev?.title })
  }
}

function oscapVerdict(result) {
  if (result === 'pass' || result === 'fixed') return 'pass'
  if (result === 'fail') return 'fail'
  return 'not judged'
}

// ---------------------------------------------------------------- driftwatch results

let dw
try {
  dw = JSON.parse(read(dwFile))
} catch (e) {
  die(`${dwFile}: not JSON: ${e.message}`)
}
if (!Array.isArray(dw?.results)) die(`${dwFile}: no "results" array (not \`driftwatch assess --format json\` output?)`)
const tests = new Map(dw.results.map((r) => [`${r.policy}/${r.test}`, r]))

function dwVerdict(status) {
  if (status === 'pass') return 'pass'
  if (status === 'fail' || status === 'waived') return 'fail'
  return 'not judged'
}

// ---------------------------------------------------------------- mapping

let map
try {
  map = YAML.parse(read(mapFile)) ?? {}
} catch (e) {
  die(`${mapFile}: ${e.message}`)
}
const entries = []
for (const [key, val] of Object.entries(map)) {
  if (!key.includes('/')) continue // e.g. `values:` (for the tailoring file)
  const rules = Array.isArray(val) ? val : [val]
  if (rules.length === 0 || rules.some((r) => typeof r !== 'string')) die(`${mapFile}: ${key}: expected a rule id or a list of rule ids`)
  entries.push({ key, rules })
}
if (entries.length === 0) die(`${mapFile}: no "<policy>/<test>: <rule id>" entries`)

// ---------------------------------------------------------------- compare

const short = (id) => id.replace(/^xccdf_org\.ssgproject\.content_rule_/, '')
const cell = (s, max = 140) => {
  let t = String(s ?? '').replace(/\s+/g, ' ').trim()
  if (t.length > max) t = t.slice(0, max - 1) + '…'
  return t.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, "'")
}

const rows = []
let missingTests = 0
const missingRules = new Set()
for (const { key, rules } of entries) {
  const t = tests.get(key)
  const ruleResults = rules.map((id) => {
    const r = oscap.get(id)
    if (!r) missingRules.add(id)
    return { id, result: r?.result ?? 'absent', title: r?.title }
  })
  const verdicts = ruleResults.map((r) => oscapVerdict(r.result))
  let ov
  if (verdicts.includes('fail')) ov = 'fail'
  else if (verdicts.every((v) => v === 'pass')) ov = 'pass'
  else ov = 'not judged'
  if (!t) missingTests++
  const dv = t ? dwVerdict(t.status) : 'not judged'
  let kind
  if (dv !== 'not judged' && ov !== 'not judged') kind = dv === ov ? 'agree' : 'disagree'
  else if (dv !== 'not judged') kind = 'driftwatch only'
  else if (ov !== 'not judged') kind = 'oscap only'
  else kind = 'neither'
  rows.push({ key, t, dv, ov, ruleResults, kind })
}

const count = (k) => rows.filter((r) => r.kind === k).length
const agree = rows.filter((r) => r.kind === 'agree')
const disagree = rows.filter((r) => r.kind === 'disagree')
const ruleCount = new Set(entries.flatMap((e) => e.rules)).size

const out = []
out.push(`Cross-check of verdicts (\`bench/compare-scap.mjs\`; map \`${mapFile.replace(`${repo}/`, '')}\`: ${entries.length} tests ↔ ${ruleCount} SSG rules):`)
out.push('')
out.push(`- judged by both: ${agree.length + disagree.length} — **agree ${agree.length}** (${agree.filter((r) => r.dv === 'pass').length} pass, ${agree.filter((r) => r.dv === 'fail').length} fail), **disagree ${disagree.length}**`)
out.push(`- judged by driftwatch only: ${count('driftwatch only')}; by oscap only: ${count('oscap only')}; by neither: ${count('neither')} (not applicable on this machine, or not selected)`)
if (missingTests > 0) out.push(`- mapped tests missing from the driftwatch output: ${missingTests}`)
if (missingRules.size > 0) out.push(`- mapped rules missing from the oscap results: ${missingRules.size} (${[...missingRules].map(short).join(', ')})`)
const dwErrors = rows.filter((r) => r.t?.status === 'error')
if (dwErrors.length > 0) out.push(`- driftwatch errors among mapped tests: ${dwErrors.map((r) => r.key).join(', ')}`)
out.push('')

const oscapCell = (r) => r.ruleResults.map((x) => `${short(x.id)}: ${x.result}`).join('; ')
const dwCell = (r) => (r.t ? `${r.t.status}; actual: ${cell(r.t.actual, 110)}; expected: ${cell(r.t.expected, 80)}` : 'missing from the output')

if (disagree.length > 0) {
  out.push('Disagreements:')
  out.push('')
  out.push('| test | driftwatch | oscap |')
  out.push('|---|---|---|')
  for (const r of disagree) out.push(`| ${r.key} | ${dwCell(r)} | ${cell(oscapCell(r), 400)} |`)
  out.push('')
}
if (agree.length > 0) {
  out.push('Agreements:')
  out.push('')
  out.push('| test | verdict | oscap rules |')
  out.push('|---|---|---|')
  for (const r of agree) out.push(`| ${r.key} | ${r.dv} | ${cell(r.ruleResults.map((x) => short(x.id)).join(', '), 300)} |`)
  out.push('')
}
const oneSided = rows.filter((r) => r.kind === 'driftwatch only' || r.kind === 'oscap only')
if (oneSided.length > 0) {
  out.push('Judged by one side only:')
  out.push('')
  out.push('| test | driftwatch | oscap |')
  out.push('|---|---|---|')
  for (const r of oneSided) out.push(`| ${r.key} | ${r.t ? cell(`${r.t.status}${r.t.note ? ` (${r.t.note})` : ''}`, 160) : 'missing'} | ${cell(oscapCell(r), 300)} |`)
  out.push('')
}
const neither = rows.filter((r) => r.kind === 'neither')
if (neither.length > 0) {
  out.push(`Judged by neither: ${neither.map((r) => r.key.replace(/^[^/]+\//, '')).join(', ')}.`)
  out.push('')
}
process.stdout.write(out.join('\n'))
