/**
 * A summary is mergeable (output/summary.ts): the pieces made of consecutive runs of events, merged in
 * input order, give the rows one summary over every event gives, byte for byte. That is what lets scan
 * workers fold their matches where they find them (scan/chunk-scan.ts, `MatchFold`). Checked on real
 * records (the fixtures, the Stratus detonation logs and the plaso LookupEvents sample) cut at random
 * points, with the shipped caps and with caps small enough that every capped set and count fills up,
 * and with each piece passed through a structured clone, as a worker's reply is.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphOf, type IdentityGraph } from '../../src/identity';
import { isJsonObject, type JsonObject } from '../../src/language/json';
import { sessionIn } from '../../src/output/match-record';
import { createSummary, SUMMARY_LIMITS, type SummaryCaps, type SummaryOptions } from '../../src/output/summary';
import { summaryOptionsOf } from '../../src/query/summary-plan';
import { DATASETS, datasetRecords } from '../modes/support';
import { REPO } from '../support/run-ctq';
import { Rng } from '../support/synthetic-events';

function ndjsonRecords(path: string): JsonObject[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown)
    .filter(isJsonObject);
}

function plasoRecords(): JsonObject[] {
  const path = join(DATASETS, 'plaso-lookup-events', 'aws_cloudtrail.jsonl');
  if (!existsSync(path)) return [];
  return ndjsonRecords(path).map((line) => JSON.parse(String(line['CloudTrailEvent'])) as JsonObject);
}

const identityDir = join(REPO, 'fixtures', 'identity');
const FIXTURES: JsonObject[] = [
  ...ndjsonRecords(join(REPO, 'fixtures', 'events.ndjson')),
  ...readdirSync(identityDir)
    .filter((name) => name.endsWith('.ndjson'))
    .sort()
    .flatMap((name) => ndjsonRecords(join(identityDir, name))),
];
const REAL: JsonObject[] = [...datasetRecords('stratus-detonation-logs'), ...plasoRecords()];

/** Small enough that the fixtures fill every capped set and count. */
const SMALL_CAPS: SummaryCaps = { errorCodes: 2, deniedTargets: 1, identities: 3, regions: 2, sessions: 2, sampleResources: 2 };

/** The events cut into consecutive pieces at random points: from one piece to many of one event. */
function splitAtRandom<T>(items: readonly T[], rng: Rng): T[][] {
  const cuts = rng.int(Math.min(items.length, 40));
  const points = new Set<number>();
  for (let i = 0; i < cuts; i++) points.add(1 + rng.int(items.length - 1));
  const sorted = [0, ...[...points].sort((a, b) => a - b), items.length];
  return sorted.slice(1).map((end, i) => items.slice(sorted[i], end));
}

function rowsOfAll(options: SummaryOptions, events: readonly JsonObject[], graph: IdentityGraph): string {
  const summary = createSummary(options);
  for (const event of events) summary.add(event, graph);
  return JSON.stringify(summary.rows());
}

/** Each piece summarised on its own and cloned (as postMessage does); the first added to the merged summary directly. */
function rowsOfPieces(options: SummaryOptions, pieces: readonly (readonly JsonObject[])[], graph: IdentityGraph): string {
  const merged = createSummary(options);
  const [first, ...rest] = pieces;
  for (const event of first ?? []) merged.add(event, graph);
  for (const piece of rest) {
    const part = createSummary({ ...options, piece: true });
    for (const event of piece) part.add(event, graph);
    const taken = part.take();
    expect(part.rows()).toEqual([]);
    merged.merge(structuredClone(taken));
  }
  return JSON.stringify(merged.rows());
}

function groupedBy(text: string, limits: SummaryCaps): SummaryOptions {
  const made = summaryOptionsOf({ groupBy: text, byRule: false });
  if (!made.ok) throw new Error(made.message);
  return { ...made.options, limits };
}

const DEFAULT_GROUPING = (limits: SummaryCaps): SummaryOptions => ({ sessionOf: (event, graph) => sessionIn(graph, event), limits });

const VARIANTS: [string, SummaryOptions][] = [
  ['by API, shipped caps', DEFAULT_GROUPING(SUMMARY_LIMITS)],
  ['by API, small caps', DEFAULT_GROUPING(SMALL_CAPS)],
  ['by session() and identity type, small caps', groupedBy('session(),$.userIdentity.type', SMALL_CAPS)],
  ['by account, small caps', groupedBy('$.recipientAccountId', SMALL_CAPS)],
];

function checkSplits(events: readonly JsonObject[], seed: number, splits: number): void {
  const graph = graphOf(events);
  const rng = new Rng(seed); // seeded, so a failing split can be found again
  for (const [name, options] of VARIANTS) {
    const want = rowsOfAll(options, events, graph);
    for (let i = 0; i < splits; i++) {
      const pieces = splitAtRandom(events, rng);
      expect(rowsOfPieces(options, pieces, graph), `${name}, split ${i} into ${pieces.length}`).toBe(want);
    }
  }
}

describe('a summary merged from pieces in input order equals one summary over all the events', () => {
  it('on the fixtures (synthetic and identity scenarios), caps reached', () => {
    expect(FIXTURES.length).toBeGreaterThan(200);
    // The small caps are really reached: otherwise the order they depend on would go untested.
    const rows = createSummary(DEFAULT_GROUPING(SMALL_CAPS));
    const graph = graphOf(FIXTURES);
    for (const event of FIXTURES) rows.add(event, graph);
    const all = rows.rows();
    expect(all.some((row) => (row['regions'] as unknown[]).length === SMALL_CAPS.regions)).toBe(true);
    expect(all.some((row) => row['sessions'] === SMALL_CAPS.sessions)).toBe(true);
    expect(all.some((row) => Object.keys(row['identities'] as object).includes('(other)'))).toBe(true);
    checkSplits(FIXTURES, 9, 25);
  });

  it.skipIf(REAL.length === 0)('on the real Stratus and plaso records', () => {
    checkSplits(REAL, 17, 15);
  });

  it('in one piece of one event each, and in a single piece', () => {
    const events = FIXTURES.slice(0, 120);
    const graph = graphOf(events);
    for (const [name, options] of VARIANTS) {
      const want = rowsOfAll(options, events, graph);
      expect(rowsOfPieces(options, events.map((event) => [event]), graph), name).toBe(want);
      expect(rowsOfPieces(options, [[], events], graph), name).toBe(want);
    }
  });

  it('keeps the earlier piece\'s first values, and a later piece\'s earlier time', () => {
    const options = DEFAULT_GROUPING(SUMMARY_LIMITS);
    const graph = graphOf([]);
    const call = (time: string, fields: JsonObject): JsonObject => ({ eventSource: 's3.amazonaws.com', eventName: 'PutObject', eventTime: time, readOnly: false, ...fields });
    const early = createSummary(options);
    early.add(call('2024-05-01T10:00:00Z', { requestParameters: { bucketName: 'first' }, errorCode: 'AccessDenied', errorMessage: 'first' }), graph);
    const late = createSummary({ ...options, piece: true });
    late.add(call('2024-05-01T09:00:00Z', { requestParameters: { bucketName: 'second' }, errorCode: 'AccessDenied', errorMessage: 'second' }), graph);
    early.merge(late.take());
    const [row] = early.rows();
    expect(row).toMatchObject({
      occurrences: 2,
      failures: 2,
      errorCodes: { AccessDenied: 2 },
      firstSeen: '2024-05-01T09:00:00Z',
      lastSeen: '2024-05-01T10:00:00Z',
      sampleRequestParameters: { bucketName: 'first' },
      sampleErrorMessage: 'first',
    });
  });

  it('takes pieces only from a summary made as one: a capped count may have turned away a name the merged summary holds', () => {
    const capped = createSummary(DEFAULT_GROUPING(SMALL_CAPS));
    expect(() => capped.take()).toThrow(/piece/);
  });
});
