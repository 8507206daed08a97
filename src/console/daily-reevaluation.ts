// Deadlines fall due and waivers expire with the calendar, not with snapshots: once a day the
// fleet is judged again. Consoles sharing a database take turns by lease, so it is done once a day,
// not once per console.
import type { ConsoleContext } from './console-context.js'
import { DAY_MS } from '../model/index.js'

/** The lease's name among the pollers' (GET /api/v1/tickets/sources leaves it out: it has a colon). */
const LEASE = 'reevaluation:daily'

/**
 * Asks for the fleet to be judged again unless another console did so within the day.
 *
 * @returns whether this console took the day's turn
 */
export async function requestDailyReevaluation(
  context: ConsoleContext,
  holder: string,
): Promise<boolean> {
  const now = context.now()
  const leased = await context.store.leasePoller({
    name: LEASE,
    endpoint: 'fleet',
    holder,
    now: now.toISOString(),
    // A minute short of a day: the next day's turn is free again when the day's timer fires.
    until: new Date(now.getTime() + DAY_MS - 60_000).toISOString(),
  })
  if (leased) context.reevaluation.request('daily')
  return leased
}
