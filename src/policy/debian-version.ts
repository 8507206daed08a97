// Debian version ordering (deb-version(7)): epoch, then upstream version and revision compared
// piecewise — non-digit parts with "~" sorting before everything, digit parts numerically.

function order(character: string): number {
  if (character === '~') return -1
  if (/[A-Za-z]/.test(character)) return character.charCodeAt(0)
  return character.charCodeAt(0) + 256
}

function comparePart(a: string, b: string): number {
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    let difference = 0
    while (
      (i < a.length && !/\d/.test(a[i] as string)) ||
      (j < b.length && !/\d/.test(b[j] as string))
    ) {
      const ac = i < a.length && !/\d/.test(a[i] as string) ? order(a[i] as string) : 0
      const bc = j < b.length && !/\d/.test(b[j] as string) ? order(b[j] as string) : 0
      if (ac !== bc) return ac - bc
      if (i < a.length && !/\d/.test(a[i] as string)) i++
      if (j < b.length && !/\d/.test(b[j] as string)) j++
    }
    while (a[i] === '0') i++
    while (b[j] === '0') j++
    while (i < a.length && /\d/.test(a[i] as string) && j < b.length && /\d/.test(b[j] as string)) {
      if (difference === 0)
        difference = (a[i] as string).charCodeAt(0) - (b[j] as string).charCodeAt(0)
      i++
      j++
    }
    if (i < a.length && /\d/.test(a[i] as string)) return 1
    if (j < b.length && /\d/.test(b[j] as string)) return -1
    if (difference !== 0) return difference
  }
  return 0
}

function split(version: string): [number, string, string] {
  const colon = version.indexOf(':')
  const epoch = colon > 0 ? Number(version.slice(0, colon)) || 0 : 0
  const rest = colon > 0 ? version.slice(colon + 1) : version
  const dash = rest.lastIndexOf('-')
  return dash > 0 ? [epoch, rest.slice(0, dash), rest.slice(dash + 1)] : [epoch, rest, '']
}

/**
 * Negative, zero or positive as `a` sorts before, with or after `b`.
 *
 * @example compareDebianVersions('1:2.0', '3.0') // > 0 (the epoch wins)
 * @example compareDebianVersions('1.0~rc1', '1.0') // < 0
 */
export function compareDebianVersions(a: string, b: string): number {
  const [epochA, upstreamA, revisionA] = split(a.trim())
  const [epochB, upstreamB, revisionB] = split(b.trim())
  if (epochA !== epochB) return epochA - epochB
  return comparePart(upstreamA, upstreamB) || comparePart(revisionA, revisionB)
}
