#!/usr/bin/env node
// ssg-tailoring.mjs: writes an XCCDF 1.2 tailoring file whose one profile selects exactly the SSG
// rules that bench/ssg-map.yaml maps to driftwatch tests, with the XCCDF values the map sets
// (so that SSG asks for the same thresholds as our tests). Every rule and value id is checked
// against the datastream first: a typo fails here instead of silently evaluating nothing.
//
// Usage: node bench/ssg-tailoring.mjs MAP_YAML DATASTREAM_XML [--profile-id ID] > tailoring.xml
// Prints the profile id it wrote on stderr ("profile: …"). Plain Node ESM; yaml from the repo.

import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(resolve(repo, 'package.json'))
const YAML = require('yaml')

const args = process.argv.slice(2)
let profileId = 'xccdf_dev.driftwatch_profile_debian-baseline-map'
const pos = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--profile-id') profileId = args[++i]
  else pos.push(args[i])
}
if (pos.length !== 2) {
  process.stderr.write('usage: ssg-tailoring.mjs MAP_YAML DATASTREAM_XML [--profile-id ID]\n')
  process.exit(2)
}
const [mapFile, dsFile] = pos

const map = YAML.parse(readFileSync(mapFile, 'utf8')) ?? {}
const ds = readFileSync(dsFile, 'utf8')

const ruleIds = new Set([...ds.matchAll(/<xccdf-1\.2:Rule\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]))
const valueIds = new Set([...ds.matchAll(/<xccdf-1\.2:Value\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]))

const rules = new Set()
const problems = []
for (const [key, val] of Object.entries(map)) {
  if (!key.includes('/')) continue
  for (const r of Array.isArray(val) ? val : [val]) {
    if (typeof r !== 'string' || !ruleIds.has(r)) problems.push(`${key}: no rule ${JSON.stringify(r)} in ${dsFile}`)
    else rules.add(r)
  }
}
const values = map.values ?? {}
for (const id of Object.keys(values)) {
  if (!valueIds.has(id)) problems.push(`values: no value ${id} in ${dsFile}`)
}
if (problems.length > 0) {
  process.stderr.write(problems.map((p) => `ssg-tailoring: ${p}\n`).join(''))
  process.exit(1)
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const out = []
out.push('<?xml version="1.0" encoding="UTF-8"?>')
out.push('<xccdf:Tailoring xmlns:xccdf="http://checklists.nist.gov/xccdf/1.2" id="xccdf_dev.driftwatch_tailoring_debian-baseline-map">')
out.push(`  <xccdf:benchmark href="${esc(resolve(dsFile))}"/>`)
out.push(`  <xccdf:version time="${new Date().toISOString().replace(/\.\d+Z$/, '')}">1</xccdf:version>`)
out.push(`  <xccdf:Profile id="${esc(profileId)}">`)
out.push('    <xccdf:title>SSG rules mapped to driftwatch debian-baseline tests (bench/ssg-map.yaml)</xccdf:title>')
for (const r of [...rules].sort()) out.push(`    <xccdf:select idref="${esc(r)}" selected="true"/>`)
for (const [id, v] of Object.entries(values)) out.push(`    <xccdf:set-value idref="${esc(id)}">${esc(v)}</xccdf:set-value>`)
out.push('  </xccdf:Profile>')
out.push('</xccdf:Tailoring>')
process.stdout.write(out.join('\n') + '\n')
process.stderr.write(`profile: ${profileId} (${rules.size} rules, ${Object.keys(values).length} values)\n`)
