/**
 * CloudTrail times. The user guide documents `sessionContext.attributes.creationDate` "in ISO 8601
 * basic notation" (`20131102T010628Z`, cloudtrail-event-reference-user-identity.md) while real
 * records, and the IAM guide's own examples (IAM/cloudtrail-integration.md), use the extended form
 * (`2019-10-02T21:50:54Z`). Both denote the same instant, so both are read to epoch seconds and
 * written back in the extended form.
 */
import type { EpochSeconds } from './types';

const EXTENDED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|\+00:00)$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/;

/** Parses either ISO 8601 notation (UTC only, as CloudTrail writes); fractions are dropped. */
export function parseCloudTrailTime(text: string): EpochSeconds | null {
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
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(millis);
  // Date.UTC rolls 2019-02-30 over to March; a rolled-over date was not a real time.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  return millis / 1000;
}

/** `2019-10-02T21:50:54Z`: the form session keys carry. */
export function formatCloudTrailTime(seconds: EpochSeconds): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
