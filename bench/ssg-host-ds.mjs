#!/usr/bin/env node
// ssg-host-ds.mjs: writes a copy of the SSG Debian 12 datastream in which two applicability
// facts are made true on this kind of machine, so that oscap judges its rules instead of
// reporting them "notapplicable". Nothing else changes (the rules, their checks and values are
// byte for byte the same):
//
// 1. "the target is a container" (CPE "machine" negated) is decided by the existence of
//    /.dockerenv or /run/.containerenv. These machines are Firecracker VMs built from a Docker
//    image and keep its /.dockerenv, so SSG skips every rule meant for real machines (sysctls,
//    partitions, services, audit…). Here the two paths are renamed to paths that never exist.
// 2. "the system has a kernel" (CPE system_with_kernel) is decided by the Debian package
//    linux-base being installed. The VM's kernel comes from the hypervisor, not from a Debian
//    package, so SSG skips every sysctl rule. Here the package looked for is base-files
//    (always installed), so the fact is true.
//
// Usage: node bench/ssg-host-ds.mjs SSG_DS_XML OUT_XML

import { readFileSync, renameSync, writeFileSync } from 'node:fs'

const [input, output] = process.argv.slice(2)
if (!input || !output) {
  process.stderr.write('usage: ssg-host-ds.mjs SSG_DS_XML OUT_XML\n')
  process.exit(2)
}

let xml = readFileSync(input, 'utf8')
const edits = [
  ['<unix:filepath datatype="string">/.dockerenv</unix:filepath>', '<unix:filepath datatype="string">/.dockerenv-ignored-by-driftwatch-bench</unix:filepath>'],
  ['<unix:filepath datatype="string">/run/.containerenv</unix:filepath>', '<unix:filepath datatype="string">/run/.containerenv-ignored-by-driftwatch-bench</unix:filepath>'],
]
for (const [from, to] of edits) {
  const n = xml.split(from).length - 1
  if (n !== 1) {
    process.stderr.write(`ssg-host-ds: expected exactly one ${from} in ${input}, found ${n}\n`)
    process.exit(1)
  }
  xml = xml.replace(from, to)
}
// linux-base, only inside the object of the "kernel installed" inventory test.
const kernelObj = /(<linux:dpkginfo_object id="oval:ssg-obj_inventory_test_kernel_installed:obj:1"[^>]*>\s*<linux:name>)linux-base(<\/linux:name>)/
if (!kernelObj.test(xml)) {
  process.stderr.write(`ssg-host-ds: the kernel inventory object (linux-base) was not found in ${input}\n`)
  process.exit(1)
}
xml = xml.replace(kernelObj, '$1base-files$2')

const tmp = `${output}.tmp-${process.pid}`
writeFileSync(tmp, xml)
renameSync(tmp, output)
