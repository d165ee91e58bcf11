/**
 * The investigation summary: matched events grouped by eventSource + eventName (or by caller-given keys), one row a
 * group, built as the events stream past.
 *
 * Row keys, in this order (a stable interface: `--summary` NDJSON and the table both follow it):
 *   <group keys>  eventSource, eventName by default; with custom keys, those keys instead, in their order
 *   occurrences, successes, failures
 *   errorCodes               errorCode → count
 *   firstSeen, lastSeen      eventTime as recorded
 *   regions                  distinct awsRegion, sorted
 *   sessions                 distinct non-null sessionOf(event) values
 *   readOnly                 false if any event of the group was a write, else true if any said read-only, else null
 *   sensitive                some event of the group is on the sensitive read-only list
 *   sampleRequestParameters  of the first event that had any; for a read-only call, its filter part when it has one
 *   sampleResources          distinct resources[].ARN, the first few
 *   sampleErrorMessage       the first errorMessage
 *   deniedTarget             the first access-denied errorMessage read as "action on resource (why)"
 *   deniedTargets            every distinct denied target → count
 *   identities               who made the calls (the ARN, or what the record says instead) → count
 *
 * Memory per group is bounded: counts, and distinct sets of small things each with a cap. The number of groups is
 * the number of distinct keys, which for eventSource + eventName is some thousands at most.
 */
import { hideIssuedSecrets } from '../identity/issued-secrets';
import type { IdentityGraph } from '../identity';
import { isJsonObject, type JsonObject, type JsonValue } from '../language/json';
import { describeDenial, parseAccessDenied } from './access-denied';
import { identityText } from './identity-text';
import { isSensitiveReadOnly } from './summary-sensitive';

export interface GroupKey {
  /** The row key it is shown under. */
  readonly name: string;
  /** The event's value for it (null when it has none); `graph`: the run's identity graph, for `session()`. */
  readonly of: (event: JsonObject, graph: IdentityGraph | null) => JsonValue;
}

export interface SummaryOptions {
  /** The session an event belongs to, or null, given the run's identity graph (null before one is built). */
  readonly sessionOf: (event: JsonObject, graph: IdentityGraph | null) => string | null;
  /** Custom grouping (`--group-by`); eventSource + eventName when absent or empty. */
  readonly groupBy?: readonly GroupKey[];
  /** Sensitivity test; the shipped sensitive read-only list when absent. */
  readonly isSensitive?: (eventSource: unknown, eventName: unknown) => boolean;
}

export interface Summary {
  /** `graph`: the identity graph the event was matched against (null: none was built). */
  add(event: JsonObject, graph?: IdentityGraph | null): void;
  /** The rows so far, writes first, then by occurrences descending, then by group key. */
  rows(): JsonObject[];
}

/** The row keys after the group keys, in order. */
export const SUMMARY_FIELDS = [
  'occurrences',
  'successes',
  'failures',
  'errorCodes',
  'firstSeen',
  'lastSeen',
  'regions',
  'sessions',
  'readOnly',
  'sensitive',
  'sampleRequestParameters',
  'sampleResources',
  'sampleErrorMessage',
  'deniedTarget',
  'deniedTargets',
  'identities',
] as const;

export const DEFAULT_GROUP_KEYS: readonly GroupKey[] = [
  { name: 'eventSource', of: (event) => event['eventSource'] ?? null },
  { name: 'eventName', of: (event) => event['eventName'] ?? null },
];

/** Caps on what a group keeps; past them counts go on but no more distinct values are kept. */
export const SUMMARY_LIMITS = {
  errorCodes: 20,
  deniedTargets: 50,
  identities: 1_000,
  regions: 64,
  /** Past this many distinct sessions, `sessions` stays at the cap: read it as "at least". */
  sessions: 10_000,
  sampleResources: 5,
  /** Longest sample kept, in characters of JSON (request parameters) or text (error message). */
  sampleChars: 1_000,
} as const;

/** errorCode values, denied targets and identities past their caps are counted under this name. */
export const OTHER_ERROR_CODES = '(other)';

interface Group {
  readonly keys: readonly JsonValue[];
  occurrences: number;
  successes: number;
  failures: number;
  readonly errorCodes: Map<string, number>;
  firstSeen: { readonly ms: number; readonly text: string } | null;
  lastSeen: { readonly ms: number; readonly text: string } | null;
  readonly regions: Set<string>;
  readonly sessions: Set<string>;
  reads: number;
  writes: number;
  sensitive: boolean;
  sampleRequestParameters: JsonValue | undefined;
  readonly sampleResources: string[];
  sampleErrorMessage: string | null;
  deniedTarget: string | null;
  readonly deniedTargets: Map<string, number>;
  readonly identities: Map<string, number>;
}

export function createSummary(options: SummaryOptions): Summary {
  const groupKeys = options.groupBy !== undefined && options.groupBy.length > 0 ? options.groupBy : DEFAULT_GROUP_KEYS;
  const clash = groupKeys.find((key) => (SUMMARY_FIELDS as readonly string[]).includes(key.name));
  if (clash !== undefined) throw new Error(`summary group key '${clash.name}' is also a summary field`);
  const isSensitive = options.isSensitive ?? isSensitiveReadOnly;
  const groups = new Map<string, Group>();

  return {
    add(event: JsonObject, graph: IdentityGraph | null = null): void {
      // A custom key is any path, so it can reach the credentials an STS response logs: they are hidden.
      const keys = groupKeys.map((key) => (groupKeys === DEFAULT_GROUP_KEYS ? key.of(event, graph) : hideIssuedSecrets(key.of(event, graph), event)));
      const id = JSON.stringify(keys);
      let group = groups.get(id);
      if (group === undefined) {
        group = newGroup(keys);
        groups.set(id, group);
      }
      addEvent(group, event, options.sessionOf(event, graph), isSensitive);
    },
    rows(): JsonObject[] {
      return [...groups.values()].sort(compareGroups).map((group) => toRow(group, groupKeys));
    },
  };
}

function newGroup(keys: readonly JsonValue[]): Group {
  return {
    keys,
    occurrences: 0,
    successes: 0,
    failures: 0,
    errorCodes: new Map(),
    firstSeen: null,
    lastSeen: null,
    regions: new Set(),
    sessions: new Set(),
    reads: 0,
    writes: 0,
    sensitive: false,
    sampleRequestParameters: undefined,
    sampleResources: [],
    sampleErrorMessage: null,
    deniedTarget: null,
    deniedTargets: new Map(),
    identities: new Map(),
  };
}

function addEvent(
  group: Group,
  event: JsonObject,
  session: string | null,
  isSensitive: (eventSource: unknown, eventName: unknown) => boolean,
): void {
  group.occurrences++;

  // A failed call carries errorCode (CloudTrail record contents:
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
  const errorCode = event['errorCode'];
  if (typeof errorCode === 'string' && errorCode !== '') {
    group.failures++;
    countCapped(group.errorCodes, errorCode, SUMMARY_LIMITS.errorCodes);
  } else {
    group.successes++;
  }

  const time = event['eventTime'];
  if (typeof time === 'string') {
    const ms = Date.parse(time);
    if (!Number.isNaN(ms)) {
      if (group.firstSeen === null || ms < group.firstSeen.ms) group.firstSeen = { ms, text: time };
      if (group.lastSeen === null || ms > group.lastSeen.ms) group.lastSeen = { ms, text: time };
    }
  }

  const region = event['awsRegion'];
  if (typeof region === 'string' && group.regions.size < SUMMARY_LIMITS.regions) group.regions.add(region);

  countCapped(group.identities, identityText(event), SUMMARY_LIMITS.identities);

  if (session !== null && group.sessions.size < SUMMARY_LIMITS.sessions) group.sessions.add(session);

  const readOnly = readOnlyOf(event);
  if (readOnly === true) group.reads++;
  else if (readOnly === false) group.writes++;

  if (!group.sensitive && isSensitive(event['eventSource'], event['eventName'])) group.sensitive = true;

  const parameters = event['requestParameters'];
  if (group.sampleRequestParameters === undefined && parameters !== undefined && parameters !== null) {
    group.sampleRequestParameters = boundedSample(readOnly === true ? filterPart(parameters) : parameters);
  }

  const resources = event['resources'];
  if (Array.isArray(resources) && group.sampleResources.length < SUMMARY_LIMITS.sampleResources) {
    for (const resource of resources) {
      const arn = isJsonObject(resource) ? resource['ARN'] : undefined;
      if (typeof arn === 'string' && !group.sampleResources.includes(cut(arn))) {
        group.sampleResources.push(cut(arn));
        if (group.sampleResources.length >= SUMMARY_LIMITS.sampleResources) break;
      }
    }
  }

  const message = event['errorMessage'];
  if (typeof message === 'string' && message !== '') {
    if (group.sampleErrorMessage === null) group.sampleErrorMessage = cut(message);
    const denial = parseAccessDenied(message);
    if (denial !== null) {
      const target = cut(describeDenial(denial));
      group.deniedTarget ??= target;
      countCapped(group.deniedTargets, target, SUMMARY_LIMITS.deniedTargets);
    }
  }
}

/** Counts `name`, or `(other)` once `cap` distinct names are held. */
function countCapped(counts: Map<string, number>, name: string, cap: number): void {
  const key = counts.has(name) || counts.size < cap ? name : OTHER_ERROR_CODES;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Names → counts, most frequent first (then by name), as a JSON object. */
function countsByFrequency(counts: ReadonlyMap<string, number>): JsonObject {
  return Object.fromEntries([...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)));
}

/** readOnly is a boolean in trail files; some exports write it as a string. */
function readOnlyOf(event: JsonObject): boolean | null {
  const value = event['readOnly'];
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return null;
}

const FILTER_KEY = /filter/i;

/**
 * For a read-only call, what it looked for says more than the paging around it: the members whose name says filter
 * (EC2's `filterSet`, `filters`, CloudWatch Logs' `filterPattern` ...), or all of the parameters when none does.
 */
function filterPart(parameters: JsonValue): JsonValue {
  if (!isJsonObject(parameters)) return parameters;
  const entries = Object.entries(parameters).filter(([key]) => FILTER_KEY.test(key));
  return entries.length > 0 ? Object.fromEntries(entries) : parameters;
}

/** A sample kept as JSON when small, else as its JSON text cut short. */
function boundedSample(value: JsonValue): JsonValue {
  const text = JSON.stringify(value);
  return text.length <= SUMMARY_LIMITS.sampleChars ? value : cut(text);
}

function cut(text: string): string {
  return text.length <= SUMMARY_LIMITS.sampleChars ? text : text.slice(0, SUMMARY_LIMITS.sampleChars - 1) + '…';
}

function writeRank(group: Group): number {
  if (group.writes > 0) return 0;
  return group.reads > 0 ? 2 : 1;
}

function compareGroups(a: Group, b: Group): number {
  const byKind = writeRank(a) - writeRank(b);
  if (byKind !== 0) return byKind;
  const byCount = b.occurrences - a.occurrences;
  if (byCount !== 0) return byCount;
  const ka = JSON.stringify(a.keys);
  const kb = JSON.stringify(b.keys);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function toRow(group: Group, groupKeys: readonly GroupKey[]): JsonObject {
  const fields: Record<(typeof SUMMARY_FIELDS)[number], JsonValue> = {
    occurrences: group.occurrences,
    successes: group.successes,
    failures: group.failures,
    errorCodes: Object.fromEntries([...group.errorCodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    firstSeen: group.firstSeen?.text ?? null,
    lastSeen: group.lastSeen?.text ?? null,
    regions: [...group.regions].sort(),
    sessions: group.sessions.size,
    readOnly: group.writes > 0 ? false : group.reads > 0 ? true : null,
    sensitive: group.sensitive,
    sampleRequestParameters: group.sampleRequestParameters ?? null,
    sampleResources: [...group.sampleResources],
    sampleErrorMessage: group.sampleErrorMessage,
    deniedTarget: group.deniedTarget,
    deniedTargets: countsByFrequency(group.deniedTargets),
    identities: countsByFrequency(group.identities),
  };
  // fromEntries defines own properties, so a group key named __proto__ stays a plain key.
  return Object.fromEntries([
    ...groupKeys.map((key, i): [string, JsonValue] => [key.name, group.keys[i] ?? null]),
    ...SUMMARY_FIELDS.map((name): [string, JsonValue] => [name, fields[name]]),
  ]);
}
