// Fields of fstab and of the kernel's mount table escape space, tab, newline and backslash as
// octal (`\040`). driftwatch decodes them and shows the result in its path display form.
import { escapeRawPath } from '../../../model/index.js'

/**
 * @example decodeMountField('/mnt/my\\040disk') // '/mnt/my disk'
 * @example decodeMountField('/mnt/a\\012b')     // '/mnt/a\\x0ab' (a newline, shown escaped)
 */
export function decodeMountField(field: string): string {
  const raw = Buffer.from(field, 'utf8')
    .toString('latin1')
    .replace(/\\([0-3][0-7]{2})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
  return escapeRawPath(raw)
}

/**
 * A mount point as a key names it: decoded, without a trailing slash.
 *
 * @example mountPointKey('/srv/data/') // '/srv/data'
 */
export function mountPointKey(field: string): string {
  const decoded = decodeMountField(field)
  return decoded.length > 1 ? decoded.replace(/\/+$/, '') || '/' : decoded
}
