// The ParsedConfig most parsers return: settings in file order, an index by key, and a rule that
// picks the effective one among a key's occurrences.
import type { ConfigProblem, ConfigSetting, ParsedConfig } from './config-parser.js'

/** Picks the effective setting among all occurrences of one key, in file order. */
export type PrecedenceRule = (occurrences: readonly ConfigSetting[]) => ConfigSetting | undefined

/** The program reads the file top to bottom and a later assignment overwrites an earlier one. */
export const lastWins: PrecedenceRule = (occurrences) => occurrences.at(-1)
/** The program keeps the first value it reads and ignores the rest. */
export const firstWins: PrecedenceRule = (occurrences) => occurrences[0]

/**
 * Indexes settings by key and answers `effective` with a precedence rule.
 *
 * @example
 * const parsed = parsedConfig(settings, [], lastWins)
 * parsed.effective('PASS_MAX_DAYS')?.value // '365'
 */
export function parsedConfig(
  settings: readonly ConfigSetting[],
  problems: readonly ConfigProblem[],
  precedence: PrecedenceRule,
): ParsedConfig {
  const byKey = indexByKey(settings)
  return {
    effective: (key) => {
      const occurrences = byKey.get(key)
      return occurrences === undefined ? undefined : precedence(occurrences)
    },
    all: (key) => [...(byKey.get(key) ?? [])],
    problems,
  }
}

/**
 * Groups settings by key, keeping file order within each key. A Map, not an object: keys come
 * from files, and `__proto__` or `constructor` must be keys like any other.
 *
 * @example indexByKey([{ key: 'a', value: '1', file: '/f', line: 1 }]).get('a')?.length // 1
 */
export function indexByKey(settings: readonly ConfigSetting[]): Map<string, ConfigSetting[]> {
  const byKey = new Map<string, ConfigSetting[]>()
  for (const setting of settings) {
    const occurrences = byKey.get(setting.key)
    if (occurrences === undefined) byKey.set(setting.key, [setting])
    else occurrences.push(setting)
  }
  return byKey
}
