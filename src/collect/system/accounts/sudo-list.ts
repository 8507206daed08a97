// Lists in sudoers (users, hosts, run-as users, commands) are recorded as one comma-joined
// attribute; these two functions write and read them back the same way.

/**
 * Joins list items for an element key or attribute.
 *
 * @example joinSudoList(['alice', '%wheel']) // 'alice, %wheel'
 */
export function joinSudoList(items: readonly string[]): string {
  return items.join(', ')
}

/**
 * Splits a list written by {@link joinSudoList} (or by hand in sudoers): at commas that are not
 * escaped (`\,`) nor inside double quotes. A digest list (`sha256:…,sha256:… /bin/ls`) stays with
 * its command.
 *
 * @example splitSudoList('ALL, !/usr/bin/su, /bin/echo a\\,b')
 * // ['ALL', '!/usr/bin/su', '/bin/echo a\\,b']
 */
export function splitSudoList(text: string): string[] {
  const items: string[] = []
  let start = 0
  let quoted = false
  for (let index = 0; index <= text.length; index++) {
    const char = text[index]
    if (char === '\\') {
      index += 1
      continue
    }
    if (char === '"') quoted = !quoted
    if ((char === ',' && !quoted) || index === text.length) {
      const item = text.slice(start, index).trim()
      const previous = items.at(-1)
      if (previous !== undefined && isDigestOnly(previous))
        items[items.length - 1] = `${previous},${item}`
      else if (item !== '') items.push(item)
      start = index + 1
    }
  }
  return items
}

function isDigestOnly(item: string): boolean {
  return /^!*(sha(224|256|384|512):[^\s,]+,?)+$/.test(item)
}
