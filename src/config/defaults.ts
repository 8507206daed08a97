// Every default of the command line in one place.
import { homedir } from 'node:os'
import { join } from 'node:path'

export const DEFAULTS = {
  format: 'text',
  /** Administrators a system should have: one is a single point of failure, many is "everybody has root". */
  adminBounds: { min: 2, max: 10 },
  /** Days to fix a failed test, by severity, from when it first failed. */
  deadlines: { critical: 7, high: 30, medium: 90, low: 180 },
  historyLimit: 20,
  /** The key file when neither --key nor DRIFTWATCH_KEY says otherwise. */
  keyFile: (configHome: string | undefined): string =>
    join(configHome ?? join(homedir(), '.config'), 'driftwatch', 'signing.key'),
} as const
