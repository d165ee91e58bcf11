/**
 * The superset property, as a test of the COMPILER'S LOGIC (not of Trino): on the fixtures and on
 * random expressions, the generated SQL, run by DuckDB over the same events laid out as the Athena
 * table (duckdb-table.ts, with its documented Trino→DuckDB function map), returns at least every
 * event ctq matches.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compileQueryStatement, partitionDay, sqlTableName } from '../../src/athena-sql';
import { graphOf, identityFunctions } from '../../src/identity';
import { compileValueReader, parseExpression } from '../../src/language';
import type { JsonObject, JsonValue } from '../../src/language/json';
import { compileQuery } from '../../src/query/query';
import { parseActions, serviceInfo } from '../../src/selection';
import translationTable from '../../src/selection/data/action-event-names.json';
import { readLocalEvents } from '../../src/scan/read-events';
import { DuckTrailTable, type StoredEvent } from './duckdb-table';

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;
const DATASETS = new URL('../../../shared/datasets/', import.meta.url).pathname;
const INPUTS = [`${FIXTURES}AWSLogs`, `${FIXTURES}real`, `${FIXTURES}identity`, ...(existsSync(DATASETS) ? [DATASETS] : [])];

/** A deterministic PRNG (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Delivery folder: the event's day, or the next one when it was delivered after midnight (up to 20 h late). */
function deliveredDay(event: JsonObject, index: number): string {
  const time = typeof event.eventTime === 'string' ? Date.parse(event.eventTime) : Number.NaN;
  const delay = ((index * 7919) % 20) * 3_600_000;
  return Number.isNaN(time) ? '1970/01/01' : partitionDay(time + delay);
}

let stored: StoredEvent[] = [];
let table: DuckTrailTable;
let functions: ReturnType<typeof identityFunctions>;

beforeAll(async () => {
  let index = 0;
  for await (const item of readLocalEvents(INPUTS)) {
    if (item.kind !== 'event') continue;
    const e = item.event;
    stored.push({
      event: e,
      path: `s3://trail/${relative('/', item.origin.source)}`,
      account: typeof e.recipientAccountId === 'string' ? e.recipientAccountId : '111122223333',
      region: typeof e.awsRegion === 'string' ? e.awsRegion : 'us-east-1',
      day: deliveredDay(e, index++),
    });
  }
  stored.push(...translatedEvents(), ...listValuedEvents(), astralNameEvent());
  table = await DuckTrailTable.create(stored);
  functions = identityFunctions(graphOf(stored.map((s) => s.event)));
});

afterAll(() => table?.close());

/**
 * One synthetic event for each name CloudTrail logs an IAM action under when it is not the action's
 * name (src/selection/data/action-event-names.json: `s3:ListBucket` → ListObjects, ListObjectsV2):
 * the fixtures hold few of them, and these are the events an action selection without the
 * translations misses.
 */
function translatedEvents(): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const [prefix, actions] of Object.entries(translationTable.translations)) {
    for (const { eventNames } of Object.values(actions)) {
      for (const eventName of eventNames) {
        const n = events.length;
        const event: JsonObject = {
          eventVersion: '1.09',
          eventTime: `2024-05-01T10:${String(n % 60).padStart(2, '0')}:00Z`,
          eventSource: serviceInfo(prefix).eventSources[0]!,
          eventName,
          awsRegion: 'us-east-1',
          eventID: `translated-${n}`,
          recipientAccountId: '111122223333',
          userIdentity: { type: 'IAMUser', userName: 'alice' },
        };
        events.push({ event, path: `s3://trail/synthetic/translated-${n}.json.gz`, account: '111122223333', region: 'us-east-1', day: '2024/05/01' });
      }
    }
  }
  return events;
}

/**
 * Events whose requestParameters members hold lists (as CreateServiceLinkedRole's or a policy
 * simulation's do): ctq's substring operators test a list's string elements, which
 * json_extract_scalar reads as NULL.
 */
function listValuedEvents(): StoredEvent[] {
  const lists: readonly JsonObject[] = [
    { actionNames: ['s3:GetObject', 'iam:PassRole'], bucketName: 'Prod-Logs' },
    { actionNames: ['kms:Decrypt'], bucketName: ['a-list', 'of-buckets'] },
  ];
  return lists.map((requestParameters, n) => ({
    event: {
      eventVersion: '1.09',
      eventTime: `2024-05-02T08:0${n}:00Z`,
      eventSource: 'iam.amazonaws.com',
      eventName: 'SimulatePrincipalPolicy',
      eventID: `list-valued-${n}`,
      userAgent: 'Boto3/1.34.0 Python/3.12 MixedCase',
      requestParameters,
    },
    path: `s3://trail/synthetic/list-valued-${n}.json.gz`,
    account: '111122223333',
    region: 'us-east-1',
    day: '2024/05/02',
  }));
}

/** An event name with a character outside the BMP: ctq's `?` is one UTF-16 code unit, so `??` matches it. */
function astralNameEvent(): StoredEvent {
  return {
    event: { eventVersion: '1.09', eventTime: '2024-05-02T09:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'Get\u{1F511}Object', eventID: 'astral-name' },
    path: 's3://trail/synthetic/astral-name.json.gz',
    account: '111122223333',
    region: 'us-east-1',
    day: '2024/05/02',
  };
}

/** Exact actions whose logged names differ from the action's, and spellings in other cases. */
const TRANSLATED_ACTIONS = Object.entries(translationTable.translations).flatMap(([prefix, actions]) =>
  Object.keys(actions).flatMap((action) => [`${prefix}:${action}`, `${prefix}:${action.toLowerCase()}`, `${prefix.toUpperCase()}:${action.toUpperCase()}`]),
);

interface Query {
  readonly actions: string[];
  readonly matches: string[];
  readonly fromMs: number | null;
  readonly toMs: number | null;
}

/** Runs one query both ways; returns how many events ctq matched and whether SQL left any out. */
async function check(query: Query): Promise<{ ctq: number; athena: number; missed: string[]; sql: string }> {
  const window = { fromMs: query.fromMs, toMs: query.toMs };
  const compiled = compileQuery({ actions: query.actions, matches: query.matches, window }, functions);
  if (!compiled.ok) throw new Error(compiled.message);
  const parsed = parseActions(query.actions);
  if (!parsed.ok) throw new Error(parsed.message);
  const sql = compileQueryStatement({
    table: sqlTableName('cloudtrail.org_trail')!,
    window,
    deliveryMarginHours: 24,
    accounts: [],
    regions: [],
    actions: parsed.selection.actions,
    expressions: compiled.query.expressions,
  });
  const returned = await table.select(sql);
  const matched = stored.filter((s) => compiled.query.test(s.event)).map((s) => `${s.path}|${String(s.event.eventID ?? null)}`);
  return { ctq: matched.length, athena: returned.size, missed: matched.filter((key) => !returned.has(key)), sql };
}

const FIXED: readonly string[] = [
  '$.errorCode == "AccessDenied"',
  '$.errorCode != null and not ($.userIdentity.type == "AWSService")',
  '$.userIdentity.arn regex "assumed-role/"',
  '$.userIdentity.arn regex /:ROOT$/i',
  '$.resources[*].type == "AWS::S3::Bucket"',
  '$.resources[*].ARN regex /arn:aws:iam::/',
  '$.readOnly == false',
  '$.readOnly == true and $.eventName == "ListBuckets"',
  '$.requestParameters.bucketName != null',
  '$.requestParameters.roleArn regex /role\\//',
  '$.responseElements.credentials.accessKeyId != null',
  '$.additionalEventData.MFAUsed == "No"',
  '$.userIdentity.sessionContext.attributes.mfaAuthenticated == "false"',
  '$.userIdentity.sessionContext.sessionIssuer.userName != null',
  '$.eventName == "ConsoleLogin" or $.eventName == "AssumeRole"',
  'not ($.errorCode == null or $.userAgent == null)',
  '$.tlsDetails.tlsVersion == "TLSv1.2"',
  '$.resources[0].ARN != null',
  '$..arn regex /:role\\//',
  '$.userAgent contains~ "BOTO3"',
  '$.resources[*].ARN startswith "arn:aws:s3"',
  '$.userIdentity.arn endswith~ "/ALICE"',
  '$.eventName in~ ["listobjects", "ASSUMEROLE", "consolelogin"]',
  '$.errorCode not in ["AccessDenied", null]',
  '$.eventName =~ "getcalleridentity"',
  '$.eventTime >= "2022-01-01" and $.eventTime < "2030-01-01T00:00:00+02:00"',
];

/** Substring tests on JSON-column members that hold lists (listValuedEvents): each must match. */
const ON_LISTS: readonly string[] = [
  '$.requestParameters.actionNames contains "PassRole"',
  '$.requestParameters.actionNames startswith~ "KMS:"',
  '$.requestParameters.bucketName endswith "-buckets"',
];

describe.skipIf(!existsSync(`${FIXTURES}AWSLogs`))('generated SQL on DuckDB is a superset of ctq (compiler logic, not Trino)', () => {
  test.each(FIXED)('fixture expression %s', async (text) => {
    const result = await check({ actions: [], matches: [text], fromMs: null, toMs: null });
    expect(result.missed, result.sql).toEqual([]);
  });

  test.each(ON_LISTS)('a list-valued JSON member passes a substring test: %s', async (text) => {
    const result = await check({ actions: [], matches: [text], fromMs: null, toMs: null });
    expect(result.ctq).toBeGreaterThan(0);
    expect(result.missed, result.sql).toEqual([]);
  });

  test.each(['s3:Get??Object', '*:get??object'])('a ? glob matches what ctq matches, astral characters too: %s', async (action) => {
    const result = await check({ actions: [action], matches: [], fromMs: null, toMs: null });
    expect(result.ctq).toBeGreaterThan(0);
    expect(result.missed, result.sql).toEqual([]);
  });

  test.each(TRANSLATED_ACTIONS)('action %s: every event it selects, under each name CloudTrail logs it as', async (action) => {
    const result = await check({ actions: [action], matches: [], fromMs: null, toMs: null });
    expect(result.ctq).toBeGreaterThan(0);
    expect(result.missed, result.sql).toEqual([]);
  });

  test('the fixtures are large enough to mean something', () => {
    expect(stored.length).toBeGreaterThan(existsSync(DATASETS) ? 600 : 250);
  });

  test('random expressions, actions and windows (seeded)', async () => {
    const generator = new ExpressionGenerator(stored.map((s) => s.event), random(20261201));
    let matchedSomething = 0;
    let narrowed = 0;
    for (let n = 0; n < 400; n++) {
      const query = generator.query();
      const result = await check(query);
      expect(result.missed, `query #${n}: ${JSON.stringify(query)}\n${result.sql}`).toEqual([]);
      if (result.ctq > 0) matchedSomething++;
      if (result.athena < stored.length) narrowed++;
    }
    // Not vacuous: many queries match events, and the SQL really filters.
    expect(matchedSomething).toBeGreaterThan(60);
    expect(narrowed).toBeGreaterThan(150);
  });
});

const PATHS = [
  '$.eventName', '$.eventSource', '$.errorCode', '$.errorMessage', '$.userAgent', '$.sourceIPAddress', '$.awsRegion',
  '$.readOnly', '$.eventType', '$.recipientAccountId', '$.userIdentity.type', '$.userIdentity.arn',
  '$.userIdentity.accessKeyId', '$.userIdentity.principalId', '$.userIdentity.userName',
  '$.userIdentity.sessionContext.sessionIssuer.userName', '$.userIdentity.sessionContext.attributes.mfaAuthenticated',
  '$.userIdentity.invokedBy', '$.requestParameters.bucketName', '$.requestParameters.roleArn', '$.requestParameters.roleSessionName',
  '$.requestParameters.userName', '$.responseElements.credentials.accessKeyId', '$.responseElements.ConsoleLogin',
  '$.additionalEventData.MFAUsed', '$.resources[*].type', '$.resources[*].ARN', '$.resources[0].ARN', '$.tlsDetails.tlsVersion',
  '$.useridentity.arn', '$.EventName', '$.managementEvent', '$.eventCategory', "$.requestParameters['x-amz-id-2']",
  '$.requestParameters.instancesSet.items[0].instanceId', '$.sharedEventID', '$.vpcEndpointId',
  '$.requestParameters.actionNames', '$.eventTime',
  '$.userIdentity[].type[]', '$.userIdentity[].sessionContext[].sessionIssuer[].userName[]', '$.resources[].ARN[]', '$.errorCode[]',
  '$.requestParameters[].instancesSet[].items[].instanceId[]', '$.requestParameters[].actionNames[]',
];
const TEXT_OPS = ['contains', 'startswith', 'endswith'] as const;
/** Ordered against timestamps: eventTime (pushed) and a field that is not (to show it stays unpushed). */
const TIME_PATHS = ['$.eventTime', '$.eventTime', '$.eventTime', '$.userIdentity.sessionContext.attributes.creationDate'];
const ACTIONS = ['*:*', 's3:*', 'iam:*', 'sts:AssumeRole*', 'ec2:Describe*', '*:Get*', 'cloudtrail:*', 'ec2:RunInstances', 'lambda:*', 'kms:*', 'signin:ConsoleLogin', '*:ConsoleLogin', 'IAM:list*', 'secretsmanager:GetSecretValue', 's?:*', ...TRANSLATED_ACTIONS];

class ExpressionGenerator {
  private readonly values = new Map<string, JsonValue[]>();
  /** Strings a path yields, list elements included: the needles of the substring operators. */
  private readonly strings = new Map<string, string[]>();
  private readonly times: number[];

  constructor(events: readonly JsonObject[], private readonly next: () => number) {
    for (const path of PATHS) {
      const reader = compileValueReader(path);
      if (!reader.ok) throw new Error(path);
      const seen = new Set<string>();
      const found: JsonValue[] = [];
      const strings = new Set<string>();
      for (const event of events) {
        const value = reader.read(event);
        for (const v of Array.isArray(value) && path.includes('[*]') ? value : [value]) {
          for (const s of Array.isArray(v) ? v : [v]) if (typeof s === 'string') strings.add(s);
          if (v === null || typeof v === 'object' || seen.has(JSON.stringify(v))) continue;
          seen.add(JSON.stringify(v));
          found.push(v);
        }
      }
      this.values.set(path, found);
      this.strings.set(path, [...strings]);
    }
    this.times = events.map((e) => (typeof e.eventTime === 'string' ? Date.parse(e.eventTime) : Number.NaN)).filter((t) => !Number.isNaN(t));
  }

  query(): Query {
    const actions = Array.from({ length: this.int(3) }, () => this.oddCase(this.pick(ACTIONS)));
    const matches = Array.from({ length: 1 + this.int(2) }, () => this.expr(3));
    for (const m of matches) if (!parseExpression(m).ok) throw new Error(`generated an invalid expression: ${m}`);
    let fromMs: number | null = null;
    let toMs: number | null = null;
    if (this.next() < 0.5) {
      const a = this.pick(this.times) + (this.next() - 0.5) * 7_200_000;
      const b = this.pick(this.times) + (this.next() - 0.5) * 7_200_000;
      fromMs = this.next() < 0.8 ? Math.floor(Math.min(a, b)) : null;
      toMs = this.next() < 0.8 ? Math.floor(Math.max(a, b)) : null;
    }
    return { actions, matches, fromMs, toMs };
  }

  private expr(depth: number): string {
    const r = this.next();
    if (depth > 0 && r < 0.15) return `(${this.expr(depth - 1)} and ${this.expr(depth - 1)})`;
    if (depth > 0 && r < 0.3) return `(${this.expr(depth - 1)} or ${this.expr(depth - 1)})`;
    if (depth > 0 && r < 0.4) return `not (${this.expr(depth - 1)})`;
    const path = this.pick(PATHS);
    const kind = this.next();
    if (kind < 0.3) return `${path} ${this.next() < 0.75 ? '==' : '!='} ${this.literal(path)}`;
    if (kind < 0.37) return `${path} ${this.next() < 0.75 ? '=~' : '!~'} ${this.mixedCase(this.literal(path))}`;
    if (kind < 0.5) return `${path} regex ${this.regex(path)}`;
    if (kind < 0.67) return this.text(path);
    if (kind < 0.82) return this.membership(path);
    if (kind < 0.92) return this.ordering();
    return path;
  }

  /** `contains`, `startswith`, `endswith` (or a `~` form) with a piece of a value the path holds. */
  private text(path: string): string {
    const op = this.pick(TEXT_OPS);
    const ignoreCase = this.next() < 0.4;
    const strings = this.strings.get(path) ?? [];
    let needle: string;
    const r = this.next();
    if (strings.length === 0 || r < 0.05) needle = r < 0.025 ? '' : `x'%_\\${this.int(100)}`;
    else {
      const value = this.pick(strings);
      const length = 1 + this.int(Math.min(12, value.length));
      const start = op === 'startswith' ? 0 : op === 'endswith' ? value.length - length : this.int(value.length - length + 1);
      needle = value.slice(start, start + length);
    }
    const literal = JSON.stringify(needle);
    return `${path} ${op}${ignoreCase ? '~' : ''} ${ignoreCase ? this.mixedCase(literal) : literal}`;
  }

  /** `in`, `not in`, `in~`, `not in~` over one to three literals of the path. */
  private membership(path: string): string {
    const ignoreCase = this.next() < 0.4;
    const literals = Array.from({ length: 1 + this.int(3) }, () => (ignoreCase ? this.mixedCase(this.literal(path)) : this.literal(path)));
    return `${path} ${this.next() < 0.7 ? 'in' : 'not in'}${ignoreCase ? '~' : ''} [${literals.join(', ')}]`;
  }

  /** An ordering against a timestamp near an event's, in one of the ISO forms ctq reads, either way round. */
  private ordering(): string {
    const path = this.pick(TIME_PATHS);
    const ms = Math.floor(this.pick(this.times) + (this.next() - 0.5) * 7_200_000);
    const iso = new Date(ms).toISOString();
    const r = this.next();
    const stamp =
      r < 0.3 ? iso.replace('.000Z', 'Z')
      : r < 0.5 ? iso
      : r < 0.65 ? iso.slice(0, 10)
      : r < 0.8 ? iso.slice(0, 16)
      : new Date(ms + 7_200_000).toISOString().slice(0, 19) + '+02:00';
    const op = this.pick(['<', '<=', '>', '>=']);
    return this.next() < 0.8 ? `${path} ${op} "${stamp}"` : `"${stamp}" ${op} ${path}`;
  }

  /** A JSON string literal with its letters in a random mix of cases; other literals unchanged. */
  private mixedCase(literal: string): string {
    const value: unknown = JSON.parse(literal);
    if (typeof value !== 'string') return literal;
    return JSON.stringify([...value].map((c) => (this.next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join(''));
  }

  private literal(path: string): string {
    const values = this.values.get(path) ?? [];
    const r = this.next();
    if (values.length > 0 && r < 0.7) return JSON.stringify(this.pick(values));
    if (r < 0.8) return 'null';
    if (r < 0.9) return this.next() < 0.5 ? 'true' : 'false';
    return JSON.stringify(`x'%_\\${this.int(100)}`);
  }

  private regex(path: string): string {
    const strings = (this.values.get(path) ?? []).filter((v): v is string => typeof v === 'string' && v.length > 0);
    if (strings.length === 0) return '/a/';
    const value = this.pick(strings);
    const start = this.int(value.length);
    const piece = value.slice(start, start + 1 + this.int(12));
    let source = piece.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    const r = this.next();
    if (r < 0.2) source = `^${source}`;
    else if (r < 0.35) source = `${source}.*\\d?`;
    else if (r < 0.45) {
      // Make the first character (or escape) optional.
      const first = source.startsWith('\\') ? 2 : 1;
      source = source.length > first ? `${source.slice(0, first)}?${source.slice(first)}` : source;
    }
    else if (r < 0.5) source = `${source}|zz`;
    const flags = this.next() < 0.3 ? 'i' : '';
    const mixed = flags === 'i' ? [...source].map((c) => (this.next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('') : source;
    // Upper-casing an escape letter changes its meaning (\d → \D): keep escapes as they were.
    return `/${flags === 'i' ? mixed.replace(/\\./g, (m, offset: number) => source.slice(offset, offset + 2)) : source}/${flags}`;
  }

  /** Selection is case-insensitive: a third of the actions are spelled in a random mix of cases. */
  private oddCase(text: string): string {
    if (this.next() < 0.67) return text;
    return [...text].map((c) => (this.next() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  private int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
