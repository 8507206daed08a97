// The configuration XML kept as an element's content: libvirt's own formatting (stable for an
// unchanged definition, so it diffs line by line), with every password replaced. A password is
// never stored, not even hashed: a VNC password has at most 8 characters, so its hash would give
// it away; `graphics_password` says whether one is set.
import { hash } from 'node:crypto'

const REDACTED = '(redacted)'

/**
 * The XML with `passwd='…'` values replaced, trailing blanks and the running domain's `id`
 * removed, ending in one newline.
 *
 * @example redactedConfig("<graphics type='vnc' passwd='s3cret'/>")
 * // "<graphics type='vnc' passwd='(redacted)'/>\n"
 */
export function redactedConfig(xml: string): string {
  return `${xml
    .replace(/(\spasswd=)(['"])[^'"]*\2/g, `$1$2${REDACTED}$2`)
    // A transient domain's definition is its live one: its id changes with every start.
    .replace(/^(<domain\b[^>]*?)\s+id=(['"])\d+\2/, '$1')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim()}\n`
}

export function contentSha256(content: string): string {
  return hash('sha256', content, 'hex')
}
