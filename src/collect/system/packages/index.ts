// Packages: what dpkg and rpm say is installed, and what they recorded about each package's
// files (for telling an upgrade from a tampered binary).
export { packagesCollector } from './packages-collector.js'
export { packageElements, type InstalledPackage } from './package-elements.js'
export { parseDpkgStatus, DPKG_STATUS_PATH, type DpkgPackage } from './dpkg-status.js'
export { recordedDigests, type RecordedFileDigest } from './recorded-digests.js'
export { readDpkgFileList, readDpkgFileDigests, parseDpkgMd5sums } from './dpkg-files.js'
export {
  readRpmDatabase,
  readRpmFileDigests,
  RPM_DATABASE_DIRECTORIES,
  type RpmDatabase,
  type RpmDatabaseRecord,
} from './rpm-database.js'
export { RpmHeader, RpmHeaderError, RPM_TAG } from './rpm-header.js'
export { rpmPackage, rpmFileDigests, type RpmPackage, type RpmFileDigests } from './rpm-package.js'
export { applyWriteAheadLog } from './sqlite-wal.js'
