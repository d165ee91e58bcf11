/**
 * The `--from` / `--to` / `--last-minute` window, checked against each event's `eventTime`.
 * Times are UTC: an ISO 8601 instant, or `YYYY-MM-DD HH:MM:SS` as spitzel takes it. Both the flags
 * and `eventTime` are read as the expression language's ordering operators read timestamps
 * (`timestampInstant`): a day that does not exist is no time (`Date.parse` rolls 2024-02-30 over to
 * March 1st), and a time without a zone is UTC (`Date.parse` takes the machine's local zone, so
 * the same query gave other answers under another `TZ`).
 */
import { timestampInstant } from '../language/ordering';
import type { TimeWindow } from '../time/window';

export type { TimeWindow };

export type TimeParse = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly message: string };

/** `YYYY-MM-DD HH:MM[:SS[.fff]]`, the spaced form, as its ISO 8601 spelling. */
const SPACED = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

export function parseTime(text: string, flag: string): TimeParse {
  const trimmed = text.trim();
  const ms = timestampInstant(trimmed.replace(SPACED, '$1T$2'));
  if (ms === null) {
    return { ok: false, message: `${flag}: cannot read '${text}' as a time; use ISO 8601 (2026-11-01T00:00:00Z) or 'YYYY-MM-DD HH:MM:SS' in UTC` };
  }
  return { ok: true, ms };
}

export function makeWindow(
  options: { from?: string; to?: string; lastMinutes?: string },
  now: number,
): { ok: true; window: TimeWindow } | { ok: false; message: string } {
  if (options.lastMinutes !== undefined && options.from !== undefined) {
    return { ok: false, message: '--last-minute and --from both set the start of the window; use one' };
  }
  let fromMs: number | null = null;
  let toMs: number | null = null;
  if (options.lastMinutes !== undefined) {
    const minutes = Number(options.lastMinutes);
    if (!/^\d+(\.\d+)?$/.test(options.lastMinutes.trim()) || !(minutes > 0)) {
      return { ok: false, message: `--last-minute: expected a positive number of minutes, got '${options.lastMinutes}'` };
    }
    fromMs = now - minutes * 60_000;
  }
  if (options.from !== undefined) {
    const parsed = parseTime(options.from, '--from');
    if (!parsed.ok) return parsed;
    fromMs = parsed.ms;
  }
  if (options.to !== undefined) {
    const parsed = parseTime(options.to, '--to');
    if (!parsed.ok) return parsed;
    toMs = parsed.ms;
  }
  if (fromMs !== null && toMs !== null && fromMs > toMs) {
    return { ok: false, message: `the window is empty: --from ${new Date(fromMs).toISOString()} is after --to ${new Date(toMs).toISOString()}` };
  }
  return { ok: true, window: { fromMs, toMs } };
}

/** A test on `eventTime`; null when the window is unbounded. An event without a readable time is outside any bounded window. */
export function windowTest(window: TimeWindow): ((eventTime: unknown) => boolean) | null {
  const { fromMs, toMs } = window;
  if (fromMs === null && toMs === null) return null;
  const lo = fromMs ?? -Infinity;
  const hi = toMs ?? Infinity;
  return (eventTime) => {
    const ms = typeof eventTime === 'string' ? timestampInstant(eventTime) : null;
    return ms !== null && ms >= lo && ms <= hi;
  };
}
