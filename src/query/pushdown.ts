/**
 * Push-down: which LookupEvents lookup attribute a `--match` expression lets us ask CloudTrail for.
 *
 * LookupEvents filters on ONE attribute per call (API_LookupEvents: "Currently the list can contain
 * only one item"). Pushing a condition down is only sound when every event the condition accepts
 * is also returned by the lookup: the caller re-checks the whole expression client-side, so a
 * lookup may return too much, never too little.
 *
 * Only conjuncts reachable from the root through `and` count. Under `or` the other branch may
 * accept events the lookup would drop; under `not` the condition is inverted. The CLI ANDs all
 * `--match` expressions, so each one's top-level conjuncts count.
 */
import type { Expr, Operand, PathOperand } from '../language/ast';
import type { JsonValue } from '../language/json';
import { conjunctsOf } from '../language/visitor';

export type LookupAttributeKey =
  | 'EventId'
  | 'AccessKeyId'
  | 'ResourceName'
  | 'ResourceType'
  | 'Username'
  | 'EventName'
  | 'EventSource'
  | 'ReadOnly';

export interface LookupAttribute {
  readonly key: LookupAttributeKey;
  readonly value: string;
}

/**
 * Most selective first. A lookup on an attribute earlier in this list is expected to return fewer
 * events: an event ID names one event; an access key one credential; a resource, a user, an event
 * name, a service, then half of everything (ReadOnly).
 */
export const ATTRIBUTE_RANK: readonly LookupAttributeKey[] = [
  'EventId',
  'AccessKeyId',
  'ResourceName',
  'Username',
  'EventName',
  'EventSource',
  'ReadOnly',
];

/** Higher is more selective; `null` (a full scan) is 0. */
export function attributeRank(key: LookupAttributeKey | null): number {
  if (key === null) return 0;
  const index = ATTRIBUTE_RANK.indexOf(key);
  return index === -1 ? 0 : ATTRIBUTE_RANK.length - index;
}

export interface Pushdown {
  /**
   * One lookup per value: every event the conjunct accepts is returned by one of them. One for
   * `path == literal`; one per element for `path in [ … ]` (at most MAX_LOOKUPS_PER_CONJUNCT).
   */
  readonly attributes: readonly LookupAttribute[];
  /** The conjunct as written (path and literal or list), for `explain`. */
  readonly path: string;
  readonly literal: JsonValue;
  readonly op: '==' | 'in';
}

/**
 * An `in` list longer than this is not pushed down: each value is a lookup of its own, paged and
 * rate-limited (LookupEvents allows 2 calls per second per account and region), so past a handful
 * one broader scan answers sooner.
 */
export const MAX_LOOKUPS_PER_CONJUNCT = 10;

/**
 * How a record field maps to a lookup attribute. Each rule's comment says why the lookup is a
 * superset of the events whose field equals the value.
 *
 * Left out on purpose:
 * - `Username`: LookupEvents' "User name" is a derived field (the event history's `Username`), not
 *   `userIdentity.userName`. For assumed roles it is the session name, for root "root", for AWS
 *   services something else again, and no AWS page defines the derivation. An IAM user's events
 *   probably carry their userName there, but "probably" could drop matching events.
 * - `ResourceName`/`ResourceType`: the lookup's resource list is CloudTrail's own extraction from
 *   request parameters for the resource types it knows, not the record's `resources` array, and is
 *   not documented per service, so `$.resources[0].ARN == …` has no sound mapping either.
 */
const RULES: readonly { readonly path: readonly string[]; readonly key: LookupAttributeKey; readonly value: (v: JsonValue) => string | null }[] = [
  // "Event ID: The CloudTrail ID of the event" — the record's eventID (API_LookupEvents, LookupAttribute).
  { path: ['eventID'], key: 'EventId', value: nonEmptyString },
  // "AWS access key: the access key ID used to sign the request; for temporary credentials the
  // temporary key's ID" — exactly userIdentity.accessKeyId (cloudtrail-event-reference-user-identity.md).
  { path: ['userIdentity', 'accessKeyId'], key: 'AccessKeyId', value: nonEmptyString },
  // The record's eventName and eventSource are what event history indexes as Event name / source.
  { path: ['eventName'], key: 'EventName', value: nonEmptyString },
  { path: ['eventSource'], key: 'EventSource', value: nonEmptyString },
  // readOnly is a boolean in records; the lookup takes "true"/"false". `$.readOnly == "true"` (a
  // string) never equals the boolean in our language (no coercion), so it is not pushed down.
  { path: ['readOnly'], key: 'ReadOnly', value: (v) => (typeof v === 'boolean' ? String(v) : null) },
];

/** The top-level conjuncts of the ANDed expressions: what every matching event satisfies. */
export function topLevelConjuncts(exprs: readonly Expr[]): Expr[] {
  return exprs.flatMap(conjunctsOf);
}

/**
 * Every sound push-down the expressions offer, in the order the conjuncts appear. Only `path ==
 * literal` and `path in [ … ]` qualify (the union of one lookup per value returns every event the
 * list accepts). The other operators are not pushed down: LookupEvents matches attribute values
 * exactly (API_LookupEvents, LookupAttribute), so `=~`, `in~`, `contains`, `startswith`, `endswith`
 * and `<`… have no lookup that is sure to return every event they accept. Such conjuncts are still
 * checked client-side on what another conjunct's lookup returns.
 */
export function pushdownCandidates(exprs: readonly Expr[]): Pushdown[] {
  const out: Pushdown[] = [];
  for (const conjunct of topLevelConjuncts(exprs)) {
    const pair = equalityPair(conjunct);
    if (pair === null) continue;
    const rule = RULES.find((r) => samePath(r.path, pair.path));
    if (rule === undefined) continue;
    const values = pair.values.map(rule.value);
    if (values.length === 0 || values.length > MAX_LOOKUPS_PER_CONJUNCT || values.some((value) => value === null)) continue;
    const attributes = [...new Set(values as string[])].map((value) => ({ key: rule.key, value }));
    out.push({ attributes, path: pair.path.text, literal: pair.literal, op: conjunct.kind === 'in' ? 'in' : '==' });
  }
  return out;
}

/** The path of a conjunct that means "this field equals one of these values", with the values, or null. */
function equalityPair(conjunct: Expr): { path: PathOperand; literal: JsonValue; values: readonly JsonValue[] } | null {
  if (conjunct.kind === 'compare' && conjunct.op === '==') {
    const pair = pathAndLiteral(conjunct.left, conjunct.right) ?? pathAndLiteral(conjunct.right, conjunct.left);
    return pair === null ? null : { ...pair, values: [pair.literal] };
  }
  if (conjunct.kind === 'in' && !conjunct.negated && !conjunct.ignoreCase) {
    const pair = pathAndLiteral(conjunct.subject, conjunct.list);
    return pair === null ? null : { ...pair, values: conjunct.list.value };
  }
  return null;
}

/** The most selective push-down (fewer lookups breaking a tie), or null when no conjunct can be pushed down. */
export function bestPushdown(exprs: readonly Expr[]): Pushdown | null {
  let best: Pushdown | null = null;
  for (const candidate of pushdownCandidates(exprs)) {
    if (best === null) {
      best = candidate;
      continue;
    }
    const [rank, bestRank] = [pushdownRank(candidate), pushdownRank(best)];
    if (rank > bestRank || (rank === bestRank && candidate.attributes.length < best.attributes.length)) best = candidate;
  }
  return best;
}

export function pushdownRank(pushdown: Pushdown): number {
  return attributeRank((pushdown.attributes[0] as LookupAttribute).key);
}

/** How `explain` names what a pushed-down lookup covers: `$.eventName == "StopLogging"`. */
export function pushdownCovers(pushdown: Pushdown, attribute: LookupAttribute): string {
  const literal = pushdown.op === '==' ? pushdown.literal : attribute.key === 'ReadOnly' ? attribute.value === 'true' : attribute.value;
  return `${pushdown.path} == ${JSON.stringify(literal)}${pushdown.op === 'in' ? ` (one value of in […])` : ''}`;
}

function pathAndLiteral(a: Operand, b: Operand): { path: PathOperand; literal: JsonValue } | null {
  // Only plain paths: they select at most one value, so `==` means "this field equals". A wildcard
  // path (`$.resources[*].ARN`) may select several values and the comparison semantics differ.
  if (a.kind !== 'path' || a.steps === null || b.kind !== 'literal') return null;
  return { path: a, literal: b.value };
}

function samePath(expected: readonly string[], path: PathOperand): boolean {
  const steps = path.steps;
  if (steps === null || steps.length !== expected.length) return false;
  return steps.every((step, i) => step.kind === 'member' && step.name === expected[i]);
}

// LookupAttribute.AttributeValue has a minimum length of 1: an empty value is not a valid lookup.
function nonEmptyString(v: JsonValue): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}
