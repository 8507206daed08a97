// `sudo-rule:`, `sudo-defaults:` and `sudo-alias:` elements from the sudoers policy. The source
// file is recorded without a line number: lines move when a comment is added, rules don't.
import type { Element } from '../../../model/index.js'
import type { CollectionProblem } from '../system-collector.js'
import { joinSudoList } from './sudo-list.js'
import type { SourcedSudoersEntry } from './sudoers-reader.js'

/**
 * The text of a rule as its key shows it: `who hosts=(runas) commands`, without tags.
 *
 * @example sudoRuleText({ who: ['%sudo'], hosts: ['ALL'], runas: 'ALL:ALL', commands: ['ALL'] })
 * // '%sudo ALL=(ALL:ALL) ALL'
 */
export function sudoRuleText(rule: {
  readonly who: readonly string[]
  readonly hosts: readonly string[]
  readonly runas: string
  readonly commands: readonly string[]
}): string {
  const [who, hosts, commands] = [rule.who, rule.hosts, rule.commands].map(joinSudoList)
  return `${who} ${hosts}=(${rule.runas}) ${commands}`
}

/**
 * One element per rule, Defaults line and alias. The same rule written twice is one element
 * whose attributes come from the later line, the one sudo applies (the last match wins). An
 * alias defined twice is a problem, as it is for sudo; the first definition is kept.
 *
 * @example sudoersElements(readSudoers(target, problems), problems)
 */
export function sudoersElements(
  entries: readonly SourcedSudoersEntry[],
  problems: CollectionProblem[],
): Element[] {
  const elements = new Map<string, Element>()
  for (const entry of entries) {
    switch (entry.kind) {
      case 'rule': {
        const key = `sudo-rule:${sudoRuleText(entry)}`
        elements.delete(key)
        elements.set(key, {
          key,
          attributes: {
            who: joinSudoList(entry.who),
            hosts: joinSudoList(entry.hosts),
            runas: entry.runas,
            commands: joinSudoList(entry.commands),
            tags: entry.tags.join(','),
            nopasswd: entry.tags.includes('NOPASSWD'),
            source: entry.source,
          },
        })
        break
      }
      case 'defaults': {
        const key = `sudo-defaults:${entry.text}`
        elements.delete(key)
        elements.set(key, { key, attributes: { source: entry.source } })
        break
      }
      case 'alias': {
        const key = `sudo-alias:${entry.aliasType}:${entry.name}`
        if (elements.has(key)) {
          problems.push({
            path: `${entry.source}:${entry.line}`,
            reason: 'malformed',
            detail: `${entry.aliasType} ${entry.name} is already defined; the first is used`,
          })
          break
        }
        elements.set(key, {
          key,
          attributes: {
            members: joinSudoList(entry.members),
            source: entry.source,
          },
        })
        break
      }
    }
  }
  return [...elements.values()]
}
