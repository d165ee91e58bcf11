/**
 * A short hash of what a query selects, stored in the state file so that a state written by one query
 * is refused by another (its windows and cursors say nothing about the other query's events).
 */
import { createHash } from 'node:crypto';

export interface FingerprintedQuery {
  readonly actions: readonly string[];
  readonly matches: readonly string[];
  readonly source: 'local' | 'api';
  /** The regions looked up (API runs); absent for local runs. */
  readonly regions?: readonly string[];
}

export const FINGERPRINT_HEX_LENGTH = 16;

/**
 * Normalised so that spellings of the same query agree: actions are ORed and case-insensitive
 * (lower-cased, sorted, de-duplicated); `--match` expressions are ANDed (sorted, de-duplicated, trimmed,
 * otherwise verbatim: reformatting an expression is not this module's job); regions are sorted.
 */
export function queryFingerprint(query: FingerprintedQuery): string {
  const canonical = {
    v: 1,
    actions: sortedUnique(query.actions.map((action) => action.trim().toLowerCase())),
    matches: sortedUnique(query.matches.map((match) => match.trim())),
    source: query.source,
    regions: query.regions === undefined ? null : sortedUnique(query.regions.map((region) => region.trim().toLowerCase())),
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, FINGERPRINT_HEX_LENGTH);
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
