/**
 * What `<`, `<=`, `>`, `>=` compare: two numbers, or two ISO 8601 timestamps as instants (CloudTrail's
 * `eventTime` is UTC with a `Z`, e.g. `2024-05-01T10:15:00Z`, per
 * cloudtrail-event-reference-record-contents.md, but a user may write an offset such as `+02:00`).
 * Anything else (a string that is not a timestamp, a number against a timestamp, null, a missing
 * value, booleans, lists, objects) is not ordered, and every ordering operator is false for it.
 */
import type { CompareOp } from './ast';
import type { JsonValue } from './json';

export type OrderOp = Extract<CompareOp, '<' | '<=' | '>' | '>='>;

export function isOrderOp(op: CompareOp): op is OrderOp {
  return op === '<' || op === '<=' || op === '>' || op === '>=';
}

// Date, or date and time with optional seconds, fraction and zone. No zone means UTC (documented):
// never the local time zone, which would make a rule's answer depend on the machine running it.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * `timestampInstant`, NaN where there is no time: for code that compared `Date.parse`'s results, which read
 * a zone-less time in the machine's zone (a graph's order, a report's timeline, --state's recent events).
 */
export function instantOf(text: string): number {
  return timestampInstant(text) ?? Number.NaN;
}

/** Milliseconds since the epoch (with sub-millisecond fractions), or null when the text is not an ISO 8601 timestamp. */
export function timestampInstant(text: string): number | null {
  const plain = cloudTrailInstant(text);
  if (plain !== undefined) return plain;
  const m = TIMESTAMP.exec(text);
  if (m === null) return null;
  // Each group read on its own: this runs for every event the time window or the summary reads.
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  let ms = utcInstant(year, month, day, hour, minute, second);
  if (ms === null) return null;
  if (m[7] !== undefined) ms += Number(m[7]) * 1000;
  const zone = m[8];
  if (zone === undefined || zone.toUpperCase() === 'Z') return ms;
  const digits = zone.replace(':', '');
  const [zoneHours, zoneMinutes] = [Number(digits.slice(1, 3)), Number(digits.slice(3, 5))];
  if (zoneHours > 23 || zoneMinutes > 59) return null;
  return ms - (zone.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000;
}

/**
 * `timestampInstant` of CloudTrail's own form, `2024-05-01T10:15:00Z`, read without the regular expression (the
 * summary reads every match's eventTime); undefined for any other text, which the expression then reads.
 */
function cloudTrailInstant(text: string): number | null | undefined {
  if (text.length !== 20 || text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(10) !== 0x54) return undefined;
  if (text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a || text.charCodeAt(19) !== 0x5a) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  return utcInstant(year, month, day, hour, minute, second);
}

/** The instant these UTC fields name, or null when one is out of range (a leap second, :60, is taken). */
function utcInstant(year: number, month: number, day: number, hour: number, minute: number, second: number): number | null {
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 60) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The number the `count` ASCII digits at `at` spell, or -1 if one is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar (as Date.UTC counts them), without making a Date. */
function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** A value as the ordering operators see it: a number, an instant, or unordered. */
export type Ordered = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'instant'; readonly value: number } | null;

export function orderedOf(value: JsonValue): Ordered {
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'string') {
    const instant = timestampInstant(value);
    return instant === null ? null : { kind: 'instant', value: instant };
  }
  return null;
}

/** `a op b`, false unless both are numbers or both are timestamps. */
export function compareOrdered(op: OrderOp, a: Ordered, b: Ordered): boolean {
  if (a === null || b === null || a.kind !== b.kind) return false;
  return holds(op, a.value, b.value);
}

export function holds(op: OrderOp, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}
