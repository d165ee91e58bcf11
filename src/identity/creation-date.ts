/**
 * CloudTrail times. The user guide documents `sessionContext.attributes.creationDate` "in ISO 8601
 * basic notation" (`20131102T010628Z`, cloudtrail-event-reference-user-identity.md) while real
 * records, and the IAM guide's own examples (IAM/cloudtrail-integration.md), use the extended form
 * (`2019-10-02T21:50:54Z`). Both denote the same instant, so both are read to epoch seconds and
 * written back in the extended form. Issued credentials' expiration has a third form of its own.
 */
import type { EpochSeconds } from './types';

const EXTENDED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|\+00:00)$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/;

/**
 * Times read lately. Every event's creationDate is read (pass one, and `session()` in pass two), and
 * a session's events all carry the same one: most reads are repeats. Emptied when full, so it stays small.
 */
const recentTimes = new Map<string, EpochSeconds | null>();
const RECENT_TIMES_LIMIT = 4096;

/** Parses either ISO 8601 notation (UTC only, as CloudTrail writes); fractions are dropped. */
export function parseCloudTrailTime(text: string): EpochSeconds | null {
  const known = recentTimes.get(text);
  if (known !== undefined) return known;
  const parsed = parseTime(text);
  if (recentTimes.size >= RECENT_TIMES_LIMIT) recentTimes.clear();
  recentTimes.set(text, parsed);
  return parsed;
}

function parseTime(text: string): EpochSeconds | null {
  const match = EXTENDED.exec(text) ?? BASIC.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return utcSeconds(year, month, day, hour, minute, second);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const EXPIRATION = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}), (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/;

/**
 * `responseElements.credentials.expiration` of an STS hop. CloudTrail writes it neither like
 * eventTime nor like creationDate but as `Oct 2, 2019, 11:12:29 PM`, in UTC: the IAM guide's role
 * chaining example has eventTime 22:12:29Z, durationSeconds 3600 and that expiration
 * (IAM/cloudtrail-integration.md). ISO 8601 is read too, in case a producer rewrote it.
 */
export function parseCredentialExpiration(text: string): EpochSeconds | null {
  const match = EXPIRATION.exec(text);
  if (!match) return parseCloudTrailTime(text);
  const month = MONTHS.indexOf(match[1]!) + 1;
  const [day, year, hour12, minute, second] = match.slice(2, 7).map(Number) as [number, number, number, number, number];
  if (month === 0 || hour12 < 1 || hour12 > 12) return null;
  const hour = (hour12 % 12) + (match[7] === 'PM' ? 12 : 0);
  return utcSeconds(year, month, day, hour, minute, second);
}

function utcSeconds(year: number, month: number, day: number, hour: number, minute: number, second: number): EpochSeconds | null {
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(millis);
  // Date.UTC rolls 2019-02-30 over to March; a rolled-over date was not a real time.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  return millis / 1000;
}

/**
 * Times written lately: a session's key is written each time the graph looks the session up (a hop's child,
 * its parents, each reference resolved), and making a Date to write one was a tenth of building the graph.
 */
const recentKeys = new Map<EpochSeconds, string>();

/** `2019-10-02T21:50:54Z`: the form session keys carry. */
export function formatCloudTrailTime(seconds: EpochSeconds): string {
  let text = recentKeys.get(seconds);
  if (text === undefined) {
    text = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    if (recentKeys.size >= RECENT_TIMES_LIMIT) recentKeys.clear();
    recentKeys.set(seconds, text);
  }
  return text;
}
