// Text from account files ends up in element keys and terminal reports. A legitimate account
// file never holds control or format characters, so a line with any is malformed, not escaped:
// an escape sequence in a user name must not repaint a security engineer's terminal.

// C0 and C1 controls and DEL, and Unicode format characters: bidi overrides, zero-width
// characters, the BOM. Tabs are allowed: sudoers and authorized_keys use them as blanks.
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/u

/**
 * Whether text holds characters that no account file line legitimately has.
 *
 * @example hasUnsafeCharacters('alice\u001b[2J') // true
 */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE.test(text.replaceAll('\t', ' '))
}

/**
 * Whether a user or group name can be recorded: not empty, no whitespace, no unsafe
 * characters, and no comma (group members and `groups` attributes are comma-joined).
 *
 * @example isSafeAccountName('alice') // true
 * @example isSafeAccountName('a,b') // false
 */
export function isSafeAccountName(name: string): boolean {
  return name.length > 0 && !/[\s,]/.test(name) && !hasUnsafeCharacters(name)
}
