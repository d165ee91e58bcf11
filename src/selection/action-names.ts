/**
 * From an exact IAM action to the CloudTrail event names it stands for.
 *
 * An IAM action usually has the name of the API operation CloudTrail logs, but not always: `s3:ListBucket`
 * authorizes ListObjects and ListObjectsV2, Lambda logs `CreateFunction20150331`. LookupEvents compares EventName
 * exactly, so the names looked up must be CloudTrail's spelling, not the user's (`s3:getobject` → `GetObject`).
 * And an action the service does not have (`s3:GetObjects`) would silently find nothing: it is reported with the
 * nearest real names. The translations are data with their sources (data/action-event-names.json); the action names
 * come from the Service Authorization Reference (iam-actions.ts).
 */
import table from './data/action-event-names.json';
import { iamActionsOf } from './iam-actions';

export type ExactActionNames =
  /** The service's action list is known and holds the name (as an IAM action or as an event name). */
  | { readonly kind: 'known'; readonly eventNames: readonly string[] | null }
  /** The service's action list is known and lacks the name. */
  | { readonly kind: 'missing'; readonly nearest: readonly string[] }
  /** The prefix is not in the Service Authorization Reference: nothing to check against. */
  | { readonly kind: 'unchecked' };

interface Translation {
  readonly eventNames: readonly string[];
}

const translations: Readonly<Record<string, Readonly<Record<string, Translation>>>> = table.translations;
const eventOnlyNames: Readonly<Record<string, { readonly names: readonly string[] }>> = table.eventOnlyNames;

/** API-version suffixes CloudTrail appends to some event names: `20150331`, `20150331v2`, `2016_11_25`. */
export const VERSION_SUFFIX = /(?:\d{8}(?:v\d+)?|\d{4}_\d{2}_\d{2})$/;

const NEAREST_COUNT = 3;

/**
 * The event names to look up for `prefix:name` (no wildcard), in CloudTrail's spelling. `eventNames` is null for a
 * service that appends its API version to event names: the versions seen in real logs (Lambda's `20150331`,
 * `20150331v2`, `20170331`) are the data file's, but the same action was logged under another version before, so
 * an EventName lookup of one spelling may miss events; the caller scans the service's event source instead, and
 * the selection matches any version (action-pattern.ts).
 */
export function exactActionNames(prefix: string, name: string, versioned: boolean, reference = true): ExactActionNames {
  const lower = name.toLowerCase();
  const translated = lookupIgnoringCase(translations[prefix] ?? {}, lower);
  if (translated !== undefined) return { kind: 'known', eventNames: versioned ? null : translated.eventNames };

  const eventOnly = (eventOnlyNames[prefix]?.names ?? []).find((n) => n.toLowerCase() === lower);
  if (eventOnly !== undefined) return { kind: 'known', eventNames: [eventOnly] };
  const translatedTo = Object.values(translations[prefix] ?? {})
    .flatMap((t) => t.eventNames)
    .find((n) => n.toLowerCase() === lower);
  if (translatedTo !== undefined) return { kind: 'known', eventNames: [translatedTo] };

  // The reference only checks the name and gives CloudTrail's spelling of it, which differs from the action's by case
  // alone: a caller that only matches (`reference` false) leaves it unread.
  const actions = reference ? iamActionsOf(prefix) : null;
  if (actions === null) return { kind: 'unchecked' };
  const spelled = actions.get(lower);
  if (spelled !== undefined) return { kind: 'known', eventNames: versioned ? null : [spelled] };
  if (versioned) {
    // The user typed the logged name (`UpdateFunctionCode20150331v2`): its stem is the action.
    const stem = name.replace(VERSION_SUFFIX, '');
    const stemSpelled = stem === name ? undefined : actions.get(stem.toLowerCase());
    if (stemSpelled !== undefined) return { kind: 'known', eventNames: [stemSpelled + name.slice(stem.length).toLowerCase()] };
  }
  return { kind: 'missing', nearest: nearestNames(name, knownNames(prefix) ?? [], NEAREST_COUNT) };
}

/**
 * Every name an action of `prefix` may be logged or typed under: the reference's actions, the event-only names and
 * the names actions are translated to; null when the prefix is not in the reference (nothing to check a glob against).
 */
export function knownNames(prefix: string): readonly string[] | null {
  const actions = iamActionsOf(prefix);
  if (actions === null) return null;
  return [...actions.values(), ...(eventOnlyNames[prefix]?.names ?? []), ...Object.values(translations[prefix] ?? {}).flatMap((t) => t.eventNames)];
}

function lookupIgnoringCase<T>(record: Readonly<Record<string, T>>, lower: string): T | undefined {
  for (const [key, value] of Object.entries(record)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** The `count` candidates closest to `name` by edit distance, ignoring case; ties in alphabetical order. */
export function nearestNames(name: string, candidates: readonly string[], count: number): string[] {
  const target = name.toLowerCase();
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: editDistance(target, candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance || (a.candidate < b.candidate ? -1 : a.candidate > b.candidate ? 1 : 0))
    .slice(0, count)
    .map((scored) => scored.candidate);
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
