// Hypervisor URIs may carry a login (`qemu+ssh://admin:secret@host/system`,
// `https://user:pass@vcenter/sdk`); reports, problems and error messages name them without it.

/**
 * The URI with its user information (`user:password@`, or `user@`) taken out.
 *
 * @example uriWithoutCredentials('qemu+ssh://root:pw@kvm1/system') // 'qemu+ssh://kvm1/system'
 */
export function uriWithoutCredentials(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1')
}

/**
 * Whether the URI carries a password (`user:password@`); a user alone (`root@kvm1`) is no secret.
 *
 * @example uriHasPassword('qemu+ssh://root@kvm1/system') // false
 */
export function uriHasPassword(uri: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#@]*:[^/?#@]*@/i.test(uri)
}

/**
 * Text (a program's error output) with the user information of every URI in it taken out, for
 * messages that quote what a tool said about the URI.
 */
export function textWithoutCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#\s'"@]*@/gi, '$1')
}
