// Reads a rules file: YAML errors and schema errors both name file:line:column.
import { readFileSync } from 'node:fs'
import { isNode, LineCounter, parseDocument } from 'yaml'
import { DriftwatchError } from '../../errors/index.js'
import type { FileRules } from './file-rules.js'
import { fileRulesSchema } from './file-rules-schema.js'

/**
 * @example loadFileRules('/etc/driftwatch/rules.yaml')
 * @throws DriftwatchError DW_ERR_RULES_SYNTAX, DW_ERR_RULES_INVALID, DW_ERR_IO
 */
export function loadFileRules(file: string): FileRules {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new DriftwatchError(
      'DW_ERR_IO',
      `cannot read rules file ${file}: ${(error as Error).message}`,
    )
  }
  return parseFileRules(text, file)
}

/** Parses rules text; `source` names it in errors. */
export function parseFileRules(text: string, source: string): FileRules {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const syntaxError = document.errors[0]
  if (syntaxError !== undefined) {
    const position = lineCounter.linePos(syntaxError.pos[0])
    throw new DriftwatchError(
      'DW_ERR_RULES_SYNTAX',
      `${source}:${position.line}:${position.col}: ${firstLine(syntaxError.message)}`,
    )
  }
  const result = fileRulesSchema.safeParse(document.toJS())
  if (result.success) {
    const duplicate = findDuplicatePath(result.data)
    if (duplicate === undefined) return result.data
    const node = document.getIn(['rules', duplicate, 'path'], true)
    throw new DriftwatchError(
      'DW_ERR_RULES_INVALID',
      `${source}:${where(node, lineCounter)}: rules[${duplicate}].path: the path ${result.data.rules[duplicate]?.path ?? ''} already has a rule`,
    )
  }
  const issue = result.error.issues[0]
  const path = issue?.path ?? []
  // Point at the deepest node that exists: a missing key is reported at its parent.
  let node: unknown = undefined
  for (let depth = path.length; depth >= 0 && node === undefined; depth--) {
    node =
      depth === 0
        ? document.contents
        : document.getIn(path.slice(0, depth) as (string | number)[], true)
  }
  const label = path.length === 0 ? '(top level)' : formatPath(path)
  throw new DriftwatchError(
    'DW_ERR_RULES_INVALID',
    `${source}:${where(node, lineCounter)}: ${label}: ${issue?.message ?? 'invalid'}`,
  )
}

function where(node: unknown, lineCounter: LineCounter): string {
  const offset = isNode(node) && node.range ? node.range[0] : 0
  const position = lineCounter.linePos(offset)
  return `${position.line}:${position.col}`
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('')
}

function findDuplicatePath(rules: FileRules): number | undefined {
  const seen = new Set<string>()
  for (const [index, rule] of rules.rules.entries()) {
    const base = rule.path.replace(/\/+$/, '') || '/'
    if (seen.has(base)) return index
    seen.add(base)
  }
  return undefined
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message
}
