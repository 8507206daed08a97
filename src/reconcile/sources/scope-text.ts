// A ticket's scope written as text where a ticket system has no field for it: a line naming the
// nodes and a line naming the element patterns, in a custom field or in the description.
import { splitPatternList } from './ticket-fields.js'

export interface TicketScope {
  readonly nodes: readonly string[]
  readonly elements: readonly string[]
}

const PREFIXED = /^\s*driftwatch-(nodes|elements)\s*:(.*)$/i
const BARE = /^\s*(?:driftwatch-)?(nodes|elements)\s*:(.*)$/i

/**
 * Reads `driftwatch-nodes: …` and `driftwatch-elements: …` lines (patterns separated by `;` or
 * whitespace; a key may repeat). In a field that holds only the scope, `nodes:` and
 * `elements:` are enough; in a description the prefix is required, so prose such as
 * "Nodes: the web farm" is not taken for a scope.
 *
 * @example parseScopeText('Rotate TLS\ndriftwatch-nodes: web-* tag:pci\ndriftwatch-elements: file:/etc/nginx/**', 'description')
 * // → { nodes: ['web-*', 'tag:pci'], elements: ['file:/etc/nginx/**'] }
 */
export function parseScopeText(text: string, kind: 'scope-field' | 'description'): TicketScope {
  const nodes: string[] = []
  const elements: string[] = []
  const pattern = kind === 'description' ? PREFIXED : BARE
  for (const line of text.split(/\r?\n/)) {
    const match = pattern.exec(line)
    if (match === null) continue
    const values = splitPatternList(match[2] ?? '')
    if (match[1]?.toLowerCase() === 'nodes') nodes.push(...values)
    else elements.push(...values)
  }
  return { nodes, elements }
}
