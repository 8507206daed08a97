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
  console: {
    host: '127.0.0.1',
    port: 7150,
    dataDir: '.driftwatch/console',
    /** How often agents collect: hourly, as the fleets scan. */
    intervalSeconds: 3600,
    /**
     * Decompressed: a whole snapshot of a host with 320,000 files is ~130 MiB of JSON (~17 MiB
     * on the wire, gzip); deltas are kilobytes.
     */
    bodyLimit: 256 * 1024 * 1024,
    sessionHours: 12,
    /** How far agent clocks may be off when a change is matched to a ticket's window. */
    clockSkewMinutes: 5,
  },
  ticketPolling: {
    /** ServiceNow and Jira both ask integrations not to poll more than every few minutes. */
    everySeconds: 300,
    /** The first retry after a failed poll; each next one waits twice as long, up to the interval. */
    firstRetrySeconds: 5,
    /**
     * How long a console's lease outlives its next scheduled poll: longer than a slow poll takes,
     * so that another console takes over a source only from a console that stopped.
     */
    leaseGraceSeconds: 120,
  },
  /** The key file when neither --key nor DRIFTWATCH_KEY says otherwise. */
  keyFile: (configHome: string | undefined): string =>
    join(configHome ?? join(homedir(), '.config'), 'driftwatch', 'signing.key'),
} as const
