// The one-line "before → after" of a change for people reading evidence: which attributes
// differ and how, with long digests shortened (the JSON file keeps every attribute whole).

const ABSENT = 'absent'
const LONG_VALUE = 40

function parseAttributes(serialized: string | null): Record<string, unknown> | undefined {
  if (serialized === null) return undefined
  try {
    const parsed: unknown = JSON.parse(serialized)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { value: parsed }
  } catch {
    // Attributes are stored as JSON; anything else is still evidence, shown as it is.
    return { value: serialized }
  }
}

function shortValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  if (/^[0-9a-f]{32,}$/.test(text)) return `${text.slice(0, 12)}…`
  return text.length > LONG_VALUE ? `${text.slice(0, LONG_VALUE - 1)}…` : text
}

function describe(attributes: Record<string, unknown>): string {
  return Object.keys(attributes)
    .sort()
    .map((name) => `${name}=${shortValue(attributes[name])}`)
    .join(' ')
}

/**
 * The attributes as stored (canonical JSON text), parsed; null when the element was absent.
 *
 * @example attributesOf('{"mode":"0644"}') // { mode: '0644' }
 */
export function attributesOf(serialized: string | null): Record<string, unknown> | null {
  return parseAttributes(serialized) ?? null
}

/**
 * What changed, attribute by attribute.
 *
 * @example summarizeChange('{"mode":"0644"}', '{"mode":"0600"}') // 'mode: 0644 → 0600'
 */
export function summarizeChange(before: string | null, after: string | null): string {
  const was = parseAttributes(before)
  const now = parseAttributes(after)
  if (was === undefined) return `${ABSENT} → ${now === undefined ? ABSENT : describe(now)}`
  if (now === undefined) return `${describe(was)} → ${ABSENT}`
  const names = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()
  const differences = names
    .filter((name) => JSON.stringify(was[name]) !== JSON.stringify(now[name]))
    .map((name) => {
      const from = name in was ? shortValue(was[name]) : ABSENT
      const to = name in now ? shortValue(now[name]) : ABSENT
      return `${name}: ${from} → ${to}`
    })
  return differences.length === 0 ? 'no attribute differs' : differences.join('; ')
}
