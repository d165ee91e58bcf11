/**
 * The `--from` / `--to` / `--last-minute` window, checked against each event's `eventTime`.
 * Times are UTC: an ISO 8601 instant, or `YYYY-MM-DD HH:MM:SS` as spitzel takes it.
 */
import type { TimeWindow } from '../time/window';

export type { TimeWindow };

export type TimeParse = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly message: string };

const SPACED = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseTime(text: string, flag: string): TimeParse {
  const trimmed = text.trim();
  const spaced = SPACED.exec(trimmed);
  let ms: number;
  if (spaced) {
    const [, y, mo, d, h, mi, s = '00', frac = ''] = spaced;
    ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac}Z`);
  } else if (ISO.test(trimmed)) {
    // A date or a local time without an offset is read as UTC, like CloudTrail's own eventTime.
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) && trimmed.includes('T');
    ms = Date.parse(hasZone ? trimmed : trimmed.includes('T') ? `${trimmed}Z` : `${trimmed}T00:00:00Z`);
  } else {
    ms = Number.NaN;
  }
  if (Number.isNaN(ms)) {
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
    if (typeof eventTime !== 'string') return false;
    const ms = Date.parse(eventTime);
    return ms >= lo && ms <= hi;
  };
}
