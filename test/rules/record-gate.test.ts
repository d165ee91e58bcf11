/**
 * The rule set's per-record gate (src/rules/record-gate.ts) never drops a match: on real events from
 * /work/shared/datasets-like samples and on hostile spellings of them (spacing, escapes, duplicate and
 * nested keys, wrapped events), every record some rule matches after `JSON.parse` passes the gate, one
 * record at a time and through the record splitter over a whole chunk. It must also rule records out,
 * or it would be sound for nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../src/language/json';
import { compileRuleSet } from '../../src/rules/compile-rule';
import type { RuleSet } from '../../src/rules/rule-set';
import type { RuleSpec } from '../../src/rules/rule';
import { visitChunk } from '../../src/sources/local/records';

const DATASETS = '/work/shared/datasets';
const FIXTURES = 'fixtures';

/** Real events: the shared datasets when present, else every event in the repository's fixtures. */
function realEvents(): JsonObject[] {
  const root = existsSync(DATASETS) ? DATASETS : FIXTURES;
  const events: JsonObject[] = [];
  const take = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(take);
    else if (isObject(value)) {
      if (Array.isArray(value.Records)) take(value.Records);
      else if (typeof value.CloudTrailEvent === 'string') take(JSON.parse(value.CloudTrailEvent));
      else if (typeof value.eventName === 'string') events.push(value);
    }
  };
  for (const file of walk(root)) {
    const text = readFileSync(file, 'utf8');
    try {
      take(JSON.parse(text));
    } catch {
      for (const line of text.split('\n')) {
        try {
          take(JSON.parse(line));
        } catch {
          // Not JSON (a README, a damaged-input fixture): not an event.
        }
      }
    }
  }
  return events;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (/\.(json|jsonl|ndjson)$/.test(entry.name)) yield path;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const rule = (id: string, actions: readonly string[], match: string): RuleSpec => ({ id, title: id, actions, matches: [match] });
const quoted = (text: string): string => JSON.stringify(text);

/**
 * Detection-shaped rules from the events themselves, so that many match: per API, one without a
 * literal (`!= null`, for some), one on the caller's address, one on a piece of the user agent; and rules for
 * every event (`*:*`) or a glob of names, with literals.
 */
function rulesFor(events: readonly JsonObject[]): RuleSpec[] {
  const rules: RuleSpec[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    const source = String(event.eventSource);
    const action = `${source.split('.')[0]}:${String(event.eventName)}`;
    if (seen.has(action)) continue;
    seen.add(action);
    const n = rules.length;
    // A third of the APIs get a rule no literal can gate, which makes all their records parsed.
    if (seen.size % 3 === 0) rules.push(rule(`${n}-errors`, [action], '$.errorCode != null'));
    if (typeof event.sourceIPAddress === 'string') rules.push(rule(`${n}-from`, [action], `$.sourceIPAddress == ${quoted(event.sourceIPAddress)}`));
    if (typeof event.userAgent === 'string' && event.userAgent.length > 6) rules.push(rule(`${n}-agent`, [action], `$.userAgent contains ${quoted(event.userAgent.slice(2, 8))}`));
    // Rules that read deeper than the top level, so that only their literals can gate them.
    const identity = event.userIdentity;
    if (seen.size % 2 === 0 && isObject(identity) && typeof identity.type === 'string') rules.push(rule(`${n}-who`, [action], `$.userIdentity.type == ${quoted(identity.type)}`));
    // Top-level tests that hold on most records, and one on a member that is mostly an object.
    if (seen.size % 5 === 1) rules.push(rule(`${n}-not-denied`, [action], '$.errorCode != "AccessDenied" and not ($.readOnly == true)'));
    if (seen.size % 7 === 2) rules.push(rule(`${n}-no-parameters`, [action], '$.requestParameters == null'));
  }
  rules.push(
    rule('deletes', ['*:Delete*'], '$.readOnly == false'),
    rule('everything-denied', ['*:*'], '$.errorCode == "AccessDenied"'),
    rule('logging-off', ['*:*'], '$.eventName in ["DeleteTrail", "StopLogging", "PutEventSelectors"]'),
    rule('eu-or-numbered', ['*:*'], '$.awsRegion startswith~ "EU-" or $.eventVersion > 1 or $.readOnly == "false"'),
    rule('errors-in-lists', ['*:List*'], '$.errorMessage != null'),
  );
  return rules;
}

/** JSON text in a chosen spelling: blanks around `:` and `,` (the bench's "spaced" shape), `\/`, `\uXXXX` in chosen keys' values. */
function spell(value: JsonValue, options: { space?: string; slash?: boolean; escapeValuesOf?: ReadonlySet<string> }, key?: string): string {
  const space = options.space ?? '';
  if (Array.isArray(value)) return `[${value.map((v) => spell(v, options)).join(`,${space}`)}]`;
  if (isObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}${space}:${space}${spell(v, options, k)}`)
      .join(`,${space}`)}}`;
  }
  if (typeof value !== 'string') return JSON.stringify(value);
  let text = JSON.stringify(value);
  if (options.slash === true) text = text.replaceAll('/', '\\/');
  if (key !== undefined && options.escapeValuesOf?.has(key) === true && value.length > 0) {
    text = `"\\u${value.charCodeAt(0).toString(16).padStart(4, '0')}${text.slice(2)}`;
  }
  return text;
}

/** One event's record texts: as recorded and in every hostile shape the gate must see through or refuse. */
function shapesOf(event: JsonObject): string[] {
  const { eventName, eventSource, ...rest } = event;
  const compact = JSON.stringify(event);
  return [
    compact,
    spell(event, { space: ' ' }),
    spell(event, { space: '\t\n ' }),
    JSON.stringify(event, null, 2),
    spell(event, { slash: true }),
    spell(event, { escapeValuesOf: new Set(['eventName']) }),
    spell(event, { escapeValuesOf: new Set(['eventSource']) }),
    spell(event, { escapeValuesOf: new Set(['sourceIPAddress', 'userAgent', 'errorCode']) }),
    // The same keys nested, before and after the real ones, and only nested.
    JSON.stringify({ requestParameters: { eventName: 'DeleteTrail', eventSource: 'cloudtrail.amazonaws.com' }, ...event }),
    JSON.stringify({ ...event, requestParameters: { eventName: 'DeleteTrail', eventSource: 'cloudtrail.amazonaws.com' } }),
    JSON.stringify({ ...rest, requestParameters: { eventName, eventSource } }),
    JSON.stringify({ eventSource, ...rest, requestParameters: { eventName } }),
    // Duplicate keys: JSON.parse keeps the last.
    `{"eventName":"Decoy",${compact.slice(1)}`,
    `${compact.slice(0, -1)},"eventName":"DeleteTrail"}`,
    `${compact.slice(0, -1)},"eventSource":"cloudtrail.amazonaws.com"}`,
    // The key's bytes as the tail of another key, and as a string in a list.
    JSON.stringify({ 'x"eventName': eventName, eventSource, ...rest }),
    JSON.stringify({ tags: ['eventName', 'DeleteTrail'], ...event }),
    // The members rules compare: duplicated (JSON.parse keeps the last), only nested, of another kind.
    `${compact.slice(0, -1)},"errorCode":"AccessDenied"}`,
    `{"errorCode":"AccessDenied","sourceIPAddress":"198.51.100.1",${compact.slice(1)}`,
    `${compact.slice(0, -1)},"sourceIPAddress":{"ip":${quoted(String(event.sourceIPAddress))}}}`,
    `${compact.slice(0, -1)},"readOnly" : false , "eventVersion":2.5e0}`,
    `${compact.slice(0, -1)},"readOnly":"false","awsRegion":"eu-west-1"}`,
    JSON.stringify({ ...event, errorCode: null, errorMessage: null }),
    JSON.stringify({ ...event, requestParameters: null }),
    JSON.stringify({ ...rest, requestParameters: { errorCode: 'AccessDenied', readOnly: false }, eventSource, eventName }),
    // Brackets inside strings, at the top and nested; names that only begin or end like a member's; CRLF.
    JSON.stringify({ userAgent: 'a{b[c}d]e', resources: [{ ARN: 'x}]', type: '{[' }], ...event, tags: { '}': ']' } }),
    JSON.stringify({ errorCodeX: 'AccessDenied', xsourceIPAddress: '198.51.100.1', ...event, eventNames: 'DeleteTrail' }),
    spell(event, { space: '\r\n' }),
    // Not a string, or missing.
    JSON.stringify({ ...event, eventName: 7 }),
    JSON.stringify(rest),
    // lookup-events output: the event wrapped as a string.
    JSON.stringify({ EventId: 'e', EventName: eventName ?? null, CloudTrailEvent: compact }),
  ];
}

/** The event `visitChunk` would hand on for a record text (the wrapped event, for lookup-events output). */
function eventOf(text: string): JsonObject {
  const value = JSON.parse(text) as JsonObject;
  return typeof value.CloudTrailEvent === 'string' ? (JSON.parse(value.CloudTrailEvent) as JsonObject) : value;
}

function gateOne(set: RuleSet, text: string): boolean {
  const bytes = Buffer.from(text, 'utf8');
  return set.gate!(bytes)(0, bytes.length);
}

/** The events a scan of `text` hands on that some rule matches (as their JSON), with or without the gate. */
function scanMatches(set: RuleSet, text: string, gated: boolean): { matched: string[]; ruledOut: number; bad: number } {
  const matched: string[] = [];
  let ruledOut = 0;
  let bad = 0;
  visitChunk(
    { format: 'text', source: 'test', firstLine: 1, bytes: Buffer.from(text, 'utf8') },
    {
      literal: null,
      gate: gated ? set.gate : null,
      event(event) {
        if (set.matching(event).length > 0) matched.push(JSON.stringify(event));
      },
      ruledOut(count) {
        ruledOut += count;
      },
      bad() {
        bad++;
      },
    },
  );
  return { matched, ruledOut, bad };
}

describe('record gate', () => {
  const events = realEvents();
  const set = compileRuleSet(rulesFor(events), new Map());

  it('has real events and a gate to test', () => {
    expect(events.length).toBeGreaterThan(100);
    expect(set.literal).toBeNull();
    expect(set.gate).not.toBeNull();
  });

  it('lets through every record a rule matches, in every spelling', () => {
    let matched = 0;
    let ruledOut = 0;
    for (const event of events) {
      for (const text of shapesOf(event)) {
        const passes = gateOne(set, text);
        if (set.matching(eventOf(text)).length > 0) {
          matched++;
          expect({ text, passes }).toEqual({ text, passes: true });
        } else if (!passes) ruledOut++;
      }
    }
    expect(matched).toBeGreaterThan(100);
    expect(ruledOut).toBeGreaterThan(100);
  });

  it('rules out records of APIs whose rules\' literals are absent, and only those', () => {
    const gated = compileRuleSet([rule('keys', ['iam:CreateAccessKey'], '$.userAgent contains "Boto3"'), rule('secrets', ['secretsmanager:*'], '$.errorCode != null')], new Map());
    const call = (eventSource: string, eventName: string, userAgent: string): string => JSON.stringify({ eventSource, eventName, userAgent, eventVersion: '1.08' });
    expect(gateOne(gated, call('iam.amazonaws.com', 'CreateAccessKey', 'aws-cli/2'))).toBe(false);
    expect(gateOne(gated, call('iam.amazonaws.com', 'CreateAccessKey', 'Boto3/1.34'))).toBe(true);
    expect(gateOne(gated, call('iam.amazonaws.com', 'ListRoles', 'Boto3/1.34'))).toBe(false);
    // The literal spelled with an escape: no byte search finds it, so the record is parsed.
    expect(gateOne(gated, call('iam.amazonaws.com', 'CreateAccessKey', 'Boto3/1.34').replace('Boto3', '\\u0042oto3'))).toBe(true);
    // A rule on top-level members is decided on them: no errorCode, no match.
    expect(gateOne(gated, call('secretsmanager.amazonaws.com', 'GetSecretValue', 'aws-cli/2'))).toBe(false);
    expect(gateOne(gated, `${call('secretsmanager.amazonaws.com', 'GetSecretValue', 'aws-cli/2').slice(0, -1)},"errorCode":"ThrottlingException"}`)).toBe(true);
    expect(gateOne(gated, `${call('secretsmanager.amazonaws.com', 'GetSecretValue', 'aws-cli/2').slice(0, -1)},"errorCode":null}`)).toBe(false);
    // A member of another kind than the rule could decide on is left to JSON.parse.
    expect(gateOne(gated, `${call('secretsmanager.amazonaws.com', 'GetSecretValue', 'aws-cli/2').slice(0, -1)},"errorCode":{"x":1}}`)).toBe(true);
    // Nested, it is not the event's errorCode; and JSON.parse keeps the last of duplicates.
    expect(gateOne(gated, `${call('secretsmanager.amazonaws.com', 'GetSecretValue', 'aws-cli/2').slice(0, -1)},"requestParameters":{"errorCode":"X"}}`)).toBe(false);
    expect(gateOne(gated, `{"errorCode":"X",${call('secretsmanager.amazonaws.com', 'GetSecretValue', 'aws-cli/2').slice(1, -1)},"errorCode":null}`)).toBe(false);
    expect(gateOne(gated, `{"errorCode":null,${call('secretsmanager.amazonaws.com', 'GetSecretValue', 'aws-cli/2').slice(1, -1)},"errorCode":"X"}`)).toBe(true);
    expect(gateOne(gated, call('s3.amazonaws.com', 'GetObject', 'aws-cli/2'))).toBe(false);
    // A spaced duplicate is read as JSON.parse reads it: the last eventSource, here one whose rule holds.
    const spaced = `${call('s3.amazonaws.com', 'GetObject', 'x').slice(0, -1)}, "eventSource" : "secretsmanager.amazonaws.com"`;
    expect(gateOne(gated, `${spaced}}`)).toBe(false);
    expect(gateOne(gated, `${spaced} ,\t"errorCode"\n:\r"AccessDenied" }`)).toBe(true);
    // Unsure readings parse: an escape, a name that is no string, a record that is not one object.
    expect(gateOne(gated, call('s3.amazonaws.com', 'GetObject', 'aws-cli/2').replace('GetObject', '\\u0047etObject'))).toBe(true);
    expect(gateOne(gated, JSON.stringify({ eventSource: 's3.amazonaws.com', eventName: null }))).toBe(true);
    expect(gateOne(gated, `${call('s3.amazonaws.com', 'GetObject', 'x')}{}`)).toBe(true);
    expect(gateOne(gated, `${call('s3.amazonaws.com', 'GetObject', 'x').slice(0, -1)},"errorCode":"AccessDenied"`)).toBe(true);
  });

  it('hands on the same matches through the record splitter, gated or not, over one chunk of every shape', () => {
    const records = events.flatMap((event) => shapesOf(event).map((text) => text.replace(/\n\s*/g, ' ')));
    const ndjson = records.join('\n') + '\n';
    const plain = scanMatches(set, ndjson, false);
    const gated = scanMatches(set, ndjson, true);
    expect(gated.matched).toEqual(plain.matched);
    expect(plain.matched.length).toBeGreaterThan(100);
    expect(gated.ruledOut).toBeGreaterThan(100);
    expect(gated.bad).toBe(0);
    // Trail documents and pretty-printed records take the structural path.
    const trail = JSON.stringify({ Records: events }, null, 2);
    expect(scanMatches(set, trail, true).matched).toEqual(scanMatches(set, trail, false).matched);
    const pretty = events.map((event) => JSON.stringify(event, null, 1)).join('\n');
    expect(scanMatches(set, pretty, true).matched).toEqual(scanMatches(set, pretty, false).matched);
  });

  it('is absent when a rule needs every event parsed', () => {
    expect(compileRuleSet([rule('a', ['*:*'], '$.userIdentity.type != null'), rule('b', ['s3:*'], '$.errorCode == "AccessDenied"')], new Map()).gate).toBeNull();
    expect(compileRuleSet([rule('a', [], '$..arn != null')], new Map()).gate).toBeNull();
  });

  it('decides a rule for every event on the top-level members it reads', () => {
    const gated = compileRuleSet([rule('a', ['*:*'], '$.errorCode != null'), rule('b', [], '$.eventName in ["StopLogging"]')], new Map());
    expect(gated.gate).not.toBeNull();
    const event = { eventVersion: '1.08', eventSource: 's3.amazonaws.com', eventName: 'GetObject', requestParameters: { errorCode: 'x', eventName: 'StopLogging' } };
    expect(gateOne(gated, JSON.stringify(event))).toBe(false);
    expect(gateOne(gated, JSON.stringify({ ...event, errorCode: 'AccessDenied' }))).toBe(true);
    expect(gateOne(gated, JSON.stringify({ ...event, eventName: 'StopLogging' }))).toBe(true);
  });
});
