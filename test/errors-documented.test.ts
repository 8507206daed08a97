// Every error code in the catalogue is documented in docs/errors.md with its exit and HTTP status.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { ERROR_CATALOGUE } from '../src/errors/index.js'

test('every error code is documented with its exit status and HTTP status', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8')
  for (const [code, definition] of Object.entries(ERROR_CATALOGUE)) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`))
    assert.ok(row, `${code} has a row in docs/errors.md`)
    const cells = row.split('|').map((cell) => cell.trim())
    assert.equal(Number(cells[2]), definition.exitCode, `${code}: exit status`)
    assert.equal(Number(cells[3]), definition.httpStatus, `${code}: HTTP status`)
  }
})
