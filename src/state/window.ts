/**
 * The time windows of LookupEvents runs that continue one another.
 *
 * CloudTrail "typically delivers logs within an average of about 5 minutes of an API call. This time
 * is not guaranteed" (CloudTrail user guide, how-cloudtrail-works.md). An event can therefore show up
 * in LookupEvents after a window that covers its eventTime has been read. Each window starts `overlap`
 * before the previous one ended, so an event delivered up to `overlap` late is still found; the
 * recent-ID set drops the ones of the overlap that were already emitted. An event delivered later
 * than `overlap` is missed: the overlap is the bound the user chooses on lateness.
 */

import type { ClosedWindow } from '../time/window';

/**
 * The window of this run for one lookup key. The first run starts at `defaultStartMs`; later runs at
 * the previous end minus the overlap, but never before `coveredFromMs` (`RecentIds.coveredFromMs`):
 * events before it were emitted and already pruned from the recent set, so re-reading them would
 * emit them again. That is what makes a raised `--overlap` safe: the recent set was pruned to the
 * old overlap, and the window reaches further back only as the set comes to cover more, one run at
 * a time. The end is now, but never before the previous end: a clock stepped back must not move the
 * stored end backwards (the window would be empty or inverted).
 */
export function nextWindow(
  previousEndMs: number | undefined,
  nowMs: number,
  overlapMs: number,
  defaultStartMs: number,
  coveredFromMs: number = -Infinity,
): ClosedWindow {
  if (previousEndMs === undefined) return { fromMs: defaultStartMs, toMs: Math.max(nowMs, defaultStartMs) };
  return { fromMs: Math.max(previousEndMs - overlapMs, Math.min(coveredFromMs, previousEndMs)), toMs: Math.max(nowMs, previousEndMs) };
}

/**
 * The eventTime before which recent IDs can be forgotten after a run: no next window reaches back
 * past it. With several lookup keys (regions, attributes) it is the earliest stored end minus the
 * overlap, since a key whose lookup failed keeps its old end and restarts from there. For `--input`
 * runs, pass the run's time (`[nowMs]`). `null` when there are no ends (nothing to prune against).
 */
export function pruneHorizonMs(windowEndsMs: Iterable<number>, overlapMs: number): number | null {
  let earliest = Infinity;
  for (const end of windowEndsMs) earliest = Math.min(earliest, end);
  return earliest === Infinity ? null : earliest - overlapMs;
}
