// YAML documents whose errors name file:line:column — for YAML syntax errors, for schema errors
// (zod issues mapped back to the node they concern) and for checks a caller makes afterwards.
import { isNode, LineCounter, parseDocument, type Document } from 'yaml'
import type { ZodType } from 'zod'
import { DriftwatchError, type ErrorCode } from '../errors/index.js'

export interface PositionedYaml {
  /** `file:line:column` of the node at a path in the document (its parent when absent). */
  readonly where: (path: readonly (string | number)[]) => string
}

export interface YamlErrorCodes {
  readonly syntax: ErrorCode
  readonly invalid: ErrorCode
}

/**
 * Parses YAML text and validates it with a zod schema.
 *
 * @example const { data, where } = parseYamlWithSchema(text, 'policy.yaml', policySchema, codes)
 * @throws DriftwatchError with `codes.syntax` or `codes.invalid`, the message starting `source:line:column:`
 */
export function parseYamlWithSchema<T>(
  text: string,
  source: string,
  schema: ZodType<T>,
  codes: YamlErrorCodes,
): { data: T } & PositionedYaml {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const syntaxError = document.errors[0]
  if (syntaxError !== undefined) {
    const position = lineCounter.linePos(syntaxError.pos[0])
    throw new DriftwatchError(
      codes.syntax,
      `${source}:${position.line}:${position.col}: ${firstLine(syntaxError.message)}`,
    )
  }
  const where = (path: readonly (string | number)[]): string =>
    `${source}:${position(document, lineCounter, path)}`
  const result = schema.safeParse(document.toJS())
  if (!result.success) {
    const issue = result.error.issues[0]
    const path = (issue?.path ?? []).filter(
      (part): part is string | number => typeof part === 'string' || typeof part === 'number',
    )
    const label = path.length === 0 ? '(top level)' : formatPath(path)
    throw new DriftwatchError(
      codes.invalid,
      `${where(path)}: ${label}: ${issue?.message ?? 'invalid'}`,
    )
  }
  return { data: result.data, where }
}

/** `line:column` of the deepest existing node along a path: a missing key points at its parent. */
function position(
  document: Document,
  lineCounter: LineCounter,
  path: readonly (string | number)[],
): string {
  let node: unknown = undefined
  for (let depth = path.length; depth >= 0 && node === undefined; depth--) {
    node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth), true)
  }
  const offset = isNode(node) && node.range ? node.range[0] : 0
  const { line, col } = lineCounter.linePos(offset)
  return `${line}:${col}`
}

/** `rules[0].attributes` */
export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${part}`,
    )
    .join('')
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message
}
