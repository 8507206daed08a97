// Parses a systemd unit file (systemd.syntax(7)): sections, Key=Value settings, comments and
// backslash continuations. Lines systemd would ignore with a warning become problems.
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'

export interface UnitSetting {
  readonly key: string
  readonly value: string
  /** Line where the setting starts. */
  readonly line: number
}

export interface UnitFile {
  /** Settings per section name, in file order; a section that appears twice is merged. */
  readonly sections: ReadonlyMap<string, readonly UnitSetting[]>
}

/**
 * @example parseUnitFile('[Install]\nWantedBy=multi-user.target\n', '/x.service', [])
 *   .sections.get('Install') // [{ key: 'WantedBy', value: 'multi-user.target', line: 2 }]
 */
export function parseUnitFile(text: string, path: string, problems: CollectionProblem[]): UnitFile {
  const sections = new Map<string, UnitSetting[]>()
  let current: UnitSetting[] | undefined
  const lines = configLines(text, path, problems)
  for (let index = 0; index < lines.length; index++) {
    const first = lines[index]
    if (first === undefined) break
    const trimmed = first.text.trim()
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue
    const malformed = (detail: string): void => {
      problems.push({ path: `${path}:${first.number}`, reason: 'malformed', detail })
    }
    if (trimmed.startsWith('[')) {
      if (!trimmed.endsWith(']') || trimmed.length < 3) {
        malformed('section header without a closing bracket')
        current = undefined
        continue
      }
      const name = trimmed.slice(1, -1)
      current = sections.get(name) ?? []
      sections.set(name, current)
      continue
    }
    // A trailing backslash joins the next line; comment lines inside the value are skipped.
    let logical = trimmed
    while (logical.endsWith('\\') && index + 1 < lines.length) {
      index += 1
      const next = (lines[index] as { text: string }).text.trim()
      if (next.startsWith('#') || next.startsWith(';')) continue
      logical = `${logical.slice(0, -1)} ${next}`
    }
    const equals = logical.indexOf('=')
    if (equals <= 0) {
      malformed('neither a [section] header nor a Key=Value setting')
      continue
    }
    const key = logical.slice(0, equals).trim()
    if (!/^[A-Za-z0-9_-]+$/.test(key)) {
      malformed('setting name with characters systemd does not allow')
      continue
    }
    if (current === undefined) {
      malformed('setting outside any [section]')
      continue
    }
    current.push({ key, value: logical.slice(equals + 1).trim(), line: first.number })
  }
  return { sections }
}

/**
 * The values of a setting in a section, in order. An empty assignment (`OnCalendar=`) clears
 * the values before it, as systemd does for list settings.
 *
 * @example settingValues(unit, 'Timer', 'OnCalendar') // ['daily']
 */
export function settingValues(unit: UnitFile, section: string, key: string): string[] {
  const values: string[] = []
  for (const setting of unit.sections.get(section) ?? []) {
    if (setting.key !== key) continue
    if (setting.value === '') values.length = 0
    else values.push(setting.value)
  }
  return values
}

/** The values of a space-separated list setting (WantedBy=, Also=), each word once. */
export function settingWords(unit: UnitFile, section: string, key: string): string[] {
  const words = settingValues(unit, section, key).flatMap((value) => value.split(/\s+/))
  return [...new Set(words.filter((word) => word !== ''))]
}
