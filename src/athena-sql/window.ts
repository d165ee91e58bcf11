/**
 * The time window as partition predicates (so Athena reads only the date folders that can hold the
 * window's events) plus an `eventtime` range.
 *
 * CloudTrail writes a log file into the date folder of its delivery, after the events it holds
 * ("CloudTrail typically delivers logs within an average of about 5 minutes of an API call. This
 * time is not guaranteed.", How CloudTrail works / log file delivery, cloudtrail-concepts.md and
 * cloudtrail-find-log-files.md). So an event can only be in the folder of its own day or a later
 * one: the lower bound is the first day of the window, and the upper bound is the last day plus a
 * delivery margin (default 24 hours; `--delivery-margin` widens it for services that deliver late).
 * An event delivered later than the margin is not found: that is the one trade-off here, and the
 * README says so.
 *
 * `eventtime` is compared on its first 19 characters (`yyyy-MM-ddTHH:mm:ss`, CloudTrail writes UTC
 * with a `Z`): a string with fractional seconds then compares by its whole second, so the range
 * stays a superset of ctq's millisecond check.
 */
import type { TimeWindow } from '../time/window';
import { allOf, type Superset } from './condition';
import { sqlIdentifier, sqlString } from './sql-text';
import { PARTITION } from './trail-table';


export const DEFAULT_DELIVERY_MARGIN_HOURS = 24;

const DAY_MS = 86_400_000;
/** The largest epoch offset a JavaScript Date holds. */
const MAX_DATE_MS = 8.64e15;

export function pushWindow(window: TimeWindow, deliveryMarginHours: number): Superset {
  const { fromMs, toMs } = window;
  const date = sqlIdentifier(PARTITION.date);
  return allOf([
    fromMs === null ? null : `${date} >= ${sqlString(partitionDay(fromMs))}`,
    toMs === null ? null : `${date} <= ${sqlString(partitionDay(toMs + deliveryMarginHours * 3_600_000))}`,
    fromMs === null ? null : eventTimeBound('from', fromMs),
    toMs === null ? null : eventTimeBound('to', toMs),
  ]);
}

/**
 * `eventtime` at or after (`from`) or at or before (`to`) the instant, compared on whole seconds;
 * null when the instant has no four-digit-year ISO text (years past 9999 are not CloudTrail's).
 */
export function eventTimeBound(side: 'from' | 'to', ms: number): Superset {
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return null;
  const second = secondText(ms);
  if (!/^\d{4}-/.test(second)) return null;
  return `substr(eventtime, 1, 19) ${side === 'from' ? '>=' : '<='} ${sqlString(second)}`;
}

/** The date folders the window reads (null when it is unbounded on either side). */
export function partitionDays(window: TimeWindow, deliveryMarginHours: number): string[] | null {
  if (window.fromMs === null || window.toMs === null) return null;
  const days: string[] = [];
  const last = Math.floor((window.toMs + deliveryMarginHours * 3_600_000) / DAY_MS);
  for (let day = Math.floor(window.fromMs / DAY_MS); day <= last; day++) days.push(partitionDay(day * DAY_MS));
  return days;
}

/** `yyyy/MM/dd` of the UTC day, as the projection formats it. */
export function partitionDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '/');
}

function secondText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
