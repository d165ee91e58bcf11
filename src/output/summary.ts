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
 *
 * A summary is mergeable: a piece (`piece: true`) built from one run of consecutive events (a scan worker's chunk)
 * is plain data (`take()`; a structured clone crosses threads), and `merge` of the pieces in input order gives the rows
 * one summary over all the events gives. Counts add; the first and earliest values, and which distinct values a capped
 * set or count keeps, depend on order, and merging in order keeps them (see `mergeGroup`).
 */
import { hideIssuedSecrets } from '../identity/issued-secrets';
import type { IdentityGraph } from '../identity';
import { isJsonObject, type JsonObject, type JsonValue } from '../language/json';
import { timestampInstant } from '../language/ordering';
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
  /** Caps on the distinct values a group keeps; `SUMMARY_LIMITS` when absent (tests lower them to reach them). */
  readonly limits?: SummaryCaps;
  /**
   * A piece, to be taken (`take()`) and merged into another summary: its counts by name (error codes, denied
   * targets, identities) keep every name, uncapped, so that the summary it is merged into caps them exactly as if
   * it had seen the events (a name a piece would have turned away may already be held there); so do its sessions,
   * which a piece may hold as references to be resolved first (`withSessions`), several of which can name one
   * session. A piece is made of one chunk's matches, so these are bounded by the chunk, and smaller than the
   * matches' text.
   */
  readonly piece?: boolean;
}

/** The caps on distinct values; every piece merged into a summary must have been built with the same ones. */
export type SummaryCaps = { readonly [name in 'errorCodes' | 'deniedTargets' | 'identities' | 'regions' | 'sessions' | 'sampleResources']: number };

/**
 * The groups of a summary over consecutive events, in the order they were first seen: plain data (maps, sets, arrays,
 * JSON values) that a worker thread can post. Merged in input order (`Summary.merge`).
 */
export interface SummaryPartial {
  readonly groups: readonly SummaryGroup[];
}

export interface Summary {
  /** `graph`: the identity graph the event was matched against (null: none was built). */
  add(event: JsonObject, graph?: IdentityGraph | null): void;
  /** The rows so far, writes first, then by occurrences descending, then by group key. */
  rows(): JsonObject[];
  /** The groups so far, as a piece to merge elsewhere (a summary made with `piece: true` only); this summary starts over empty. */
  take(): SummaryPartial;
  /**
   * Adds a piece (from a summary made with `piece: true`): the same rows as adding its events here, when the
   * piece's events come after every event added so far.
   */
  merge(partial: SummaryPartial): void;
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

/** One group's running aggregates: plain data (see `SummaryPartial`). */
export interface SummaryGroup {
  /** The group keys as JSON text: what groups are told apart by. */
  readonly id: string;
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

type Group = SummaryGroup;

export function createSummary(options: SummaryOptions): Summary {
  const groupKeys = options.groupBy !== undefined && options.groupBy.length > 0 ? options.groupBy : DEFAULT_GROUP_KEYS;
  const clash = groupKeys.find((key) => (SUMMARY_FIELDS as readonly string[]).includes(key.name));
  if (clash !== undefined) throw new Error(`summary group key '${clash.name}' is also a summary field`);
  const isSensitive = options.isSensitive ?? isSensitiveReadOnly;
  const limits = options.limits ?? SUMMARY_LIMITS;
  const caps: SummaryCaps = options.piece === true ? { ...limits, errorCodes: Infinity, deniedTargets: Infinity, identities: Infinity, sessions: Infinity } : limits;
  let groups = new Map<string, Group>();

  return {
    add(event: JsonObject, graph: IdentityGraph | null = null): void {
      // A custom key is any path, so it can reach the credentials an STS response logs: they are hidden.
      const keys = groupKeys.map((key) => (groupKeys === DEFAULT_GROUP_KEYS ? key.of(event, graph) : hideIssuedSecrets(key.of(event, graph), event)));
      const id = JSON.stringify(keys);
      let group = groups.get(id);
      if (group === undefined) {
        group = newGroup(id, keys);
        groups.set(id, group);
      }
      addEvent(group, event, options.sessionOf(event, graph), isSensitive, caps);
    },
    rows(): JsonObject[] {
      return [...groups.values()].sort(compareGroups).map((group) => toRow(group, groupKeys));
    },
    take(): SummaryPartial {
      // A capped count may have turned away a name the summary it is merged into holds: only a piece merges exactly.
      if (options.piece !== true) throw new Error('only a summary made as a piece can be taken to merge elsewhere');
      const taken = [...groups.values()];
      groups = new Map();
      return { groups: taken };
    },
    merge(partial: SummaryPartial): void {
      for (const piece of partial.groups) {
        let group = groups.get(piece.id);
        if (group === undefined) {
          // Not adopted as is: the piece's counts are uncapped, and this summary's caps apply to them.
          group = newGroup(piece.id, piece.keys);
          groups.set(piece.id, group);
        }
        mergeGroup(group, piece, caps);
      }
    },
  };
}

function newGroup(id: string, keys: readonly JsonValue[]): Group {
  return {
    id,
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
  caps: SummaryCaps,
): void {
  group.occurrences++;

  // A failed call carries errorCode (CloudTrail record contents:
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
  const errorCode = event['errorCode'];
  if (typeof errorCode === 'string' && errorCode !== '') {
    group.failures++;
    countCapped(group.errorCodes, errorCode, 1, caps.errorCodes);
  } else {
    group.successes++;
  }

  const time = event['eventTime'];
  if (typeof time === 'string') {
    // As the time window reads it: a time without a zone is UTC, whatever the machine's zone.
    const ms = timestampInstant(time);
    if (ms !== null) {
      if (group.firstSeen === null || ms < group.firstSeen.ms) group.firstSeen = { ms, text: time };
      if (group.lastSeen === null || ms > group.lastSeen.ms) group.lastSeen = { ms, text: time };
    }
  }

  const region = event['awsRegion'];
  if (typeof region === 'string' && group.regions.size < caps.regions) group.regions.add(region);

  countCapped(group.identities, identityText(event), 1, caps.identities);

  if (session !== null && group.sessions.size < caps.sessions) group.sessions.add(session);

  const readOnly = readOnlyOf(event);
  if (readOnly === true) group.reads++;
  else if (readOnly === false) group.writes++;

  if (!group.sensitive && isSensitive(event['eventSource'], event['eventName'])) group.sensitive = true;

  const parameters = event['requestParameters'];
  if (group.sampleRequestParameters === undefined && parameters !== undefined && parameters !== null) {
    group.sampleRequestParameters = boundedSample(readOnly === true ? filterPart(parameters) : parameters);
  }

  const resources = event['resources'];
  if (Array.isArray(resources) && group.sampleResources.length < caps.sampleResources) {
    for (const resource of resources) {
      const arn = isJsonObject(resource) ? resource['ARN'] : undefined;
      if (typeof arn === 'string' && !group.sampleResources.includes(cut(arn))) {
        group.sampleResources.push(cut(arn));
        if (group.sampleResources.length >= caps.sampleResources) break;
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
      countCapped(group.deniedTargets, target, 1, caps.deniedTargets);
    }
  }
}

/**
 * The piece with each group's sessions renamed (a reference resolved to the session key it names; null
 * drops it), in the order they were first met: several references may name one session.
 */
export function withSessions(partial: SummaryPartial, rename: (session: string) => string | null): SummaryPartial {
  return {
    groups: partial.groups.map((group) => {
      const sessions = new Set<string>();
      for (const session of group.sessions) {
        const renamed = rename(session);
        if (renamed !== null) sessions.add(renamed);
      }
      return { ...group, sessions };
    }),
  };
}

/** Counts `name` `count` times, or under `(other)` once `cap` distinct names are held. */
function countCapped(counts: Map<string, number>, name: string, count: number, cap: number): void {
  const key = counts.has(name) || counts.size < cap ? name : OTHER_ERROR_CODES;
  counts.set(key, (counts.get(key) ?? 0) + count);
}

/**
 * Folds `later` (a piece's group, over events that came after `group`'s) into `group`: what adding those
 * events would have made it. Counts add; first values stay unless `group` had none; the earliest and latest
 * times keep `group`'s on a tie, as adding does. A capped set or count admits a value at the value's first
 * occurrence if there is room then (and a count keeps counting a name it holds), and `later`'s values are
 * taken in the order they first occurred, so `group` admits the same ones. A piece's counts are uncapped
 * (a name the piece turned away might be held here); its capped sets can be: a value the piece turned away
 * came after the piece was full, when `group` (which then holds what the piece held, or is full) was full too.
 */
function mergeGroup(group: Group, later: Group, caps: SummaryCaps): void {
  group.occurrences += later.occurrences;
  group.successes += later.successes;
  group.failures += later.failures;
  for (const [name, count] of later.errorCodes) countCapped(group.errorCodes, name, count, caps.errorCodes);
  if (later.firstSeen !== null && (group.firstSeen === null || later.firstSeen.ms < group.firstSeen.ms)) group.firstSeen = later.firstSeen;
  if (later.lastSeen !== null && (group.lastSeen === null || later.lastSeen.ms > group.lastSeen.ms)) group.lastSeen = later.lastSeen;
  for (const region of later.regions) if (group.regions.size < caps.regions) group.regions.add(region);
  for (const [name, count] of later.identities) countCapped(group.identities, name, count, caps.identities);
  for (const session of later.sessions) if (group.sessions.size < caps.sessions) group.sessions.add(session);
  group.reads += later.reads;
  group.writes += later.writes;
  group.sensitive ||= later.sensitive;
  if (group.sampleRequestParameters === undefined) group.sampleRequestParameters = later.sampleRequestParameters;
  for (const arn of later.sampleResources) {
    if (group.sampleResources.length >= caps.sampleResources) break;
    if (!group.sampleResources.includes(arn)) group.sampleResources.push(arn);
  }
  group.sampleErrorMessage ??= later.sampleErrorMessage;
  group.deniedTarget ??= later.deniedTarget;
  for (const [name, count] of later.deniedTargets) countCapped(group.deniedTargets, name, count, caps.deniedTargets);
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
