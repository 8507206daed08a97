// What a package's RPM header says about it: name, version, architecture, source, and the
// digests rpm recorded for its files.
import { escapeBytes } from '../../../model/index.js'
import { RPM_TAG, RpmHeaderError, type RpmHeader } from './rpm-header.js'

export interface RpmPackage {
  readonly name: string
  /** `[epoch:]version-release`, as rpm -q shows it with %{EPOCH}: prefixed. */
  readonly version: string
  /** Undefined for pseudo-packages without one (gpg-pubkey). */
  readonly architecture: string | undefined
  /** The source package file: `bash-5.1.8-9.el9.src.rpm`. */
  readonly source: string | undefined
}

/**
 * @example rpmPackage(header)
 * // { name: 'bash', version: '5.1.8-9.el9', architecture: 'x86_64',
 * //   source: 'bash-5.1.8-9.el9.src.rpm' }
 */
export function rpmPackage(header: RpmHeader): RpmPackage {
  const name = header.string(RPM_TAG.NAME)
  const version = header.string(RPM_TAG.VERSION)
  if (name === undefined || name === '' || version === undefined) {
    throw new RpmHeaderError('no NAME or VERSION')
  }
  const release = header.string(RPM_TAG.RELEASE)
  const epoch = header.numbers(RPM_TAG.EPOCH)?.[0]
  const epochPrefix = epoch === undefined ? '' : `${epoch}:`
  const releaseSuffix = release === undefined ? '' : `-${release}`
  return {
    name,
    version: `${epochPrefix}${version}${releaseSuffix}`,
    architecture: header.string(RPM_TAG.ARCH),
    source: header.string(RPM_TAG.SOURCERPM),
  }
}

/** rpm's digest algorithm numbers (the OpenPGP hash algorithm ids). */
const DIGEST_ALGORITHMS: Readonly<Record<number, string>> = {
  1: 'md5',
  2: 'sha1',
  8: 'sha256',
  9: 'sha384',
  10: 'sha512',
  11: 'sha224',
}

export interface RpmFileDigests {
  /** `sha256`, `md5` … (rpm's default, when the header does not say, is md5). */
  readonly algorithm: string
  /**
   * Path (as file keys show it) → lowercase hex digest; files without content (directories,
   * links) are left out.
   */
  readonly digests: Map<string, string>
}

/**
 * The file digests a package recorded: paths from DIRNAMES[DIRINDEXES[i]] + BASENAMES[i].
 *
 * @example rpmFileDigests(header).digests.get('/usr/bin/bash') // 'd2a4…'
 */
export function rpmFileDigests(header: RpmHeader): RpmFileDigests {
  const code = header.numbers(RPM_TAG.FILEDIGESTALGO)?.[0] ?? 1
  const algorithm = DIGEST_ALGORITHMS[code] ?? `algorithm-${code}`
  const basenames = header.byteStrings(RPM_TAG.BASENAMES) ?? []
  const dirnames = header.byteStrings(RPM_TAG.DIRNAMES) ?? []
  const dirindexes = header.numbers(RPM_TAG.DIRINDEXES) ?? []
  const fileDigests = header.strings(RPM_TAG.FILEDIGESTS) ?? []
  if (dirindexes.length !== basenames.length || fileDigests.length > basenames.length) {
    throw new RpmHeaderError('file tags of different lengths')
  }
  const digests = new Map<string, string>()
  basenames.forEach((basename, i) => {
    const directory = dirnames[dirindexes[i] as number]
    if (directory === undefined)
      throw new RpmHeaderError('a file in a directory that is not listed')
    const digest = fileDigests[i]
    if (digest !== undefined && digest !== '') {
      digests.set(escapeBytes(Buffer.concat([directory, basename])), digest.toLowerCase())
    }
  })
  return { algorithm, digests }
}
