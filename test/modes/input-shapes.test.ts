/**
 * The same events give the same answer whatever shape they come in (issue 9, "Behaviour
 * unchanged"): NDJSON, a gzipped trail tree, gzipped NDJSON files, NDJSON on stdin, the trail
 * documents concatenated on stdin (`zcat` of a tree), the real datasets as published, and
 * `--format json` against NDJSON. Every record is written as `JSON.stringify(record)` in each shape,
 * so the outputs, put in eventID order, must be the same bytes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCtq, type CtqResult } from '../support/run-ctq';
import { syntheticEvents } from '../support/synthetic-events';
import { byEventId, DATASETS, datasetRecords, label, writeShapes, type EventShapes } from './support';
import type { JsonObject } from '../../src/language/json';

const ACTIONS = ['*:*'];
const X = '$.readOnly == false or $.errorCode != null';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-modes-shapes-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function scan(input: string, stdin?: Buffer): Promise<CtqResult> {
  const result = await runCtq([...ACTIONS, '--input', input, '--match', X], stdin === undefined ? {} : { stdin });
  expect(result.code).toBe(0);
  return result;
}

/** NDJSON, the trail tree, gzipped NDJSON and NDJSON on stdin all give the NDJSON file's lines. */
async function expectShapesAgree(shapes: EventShapes): Promise<string[]> {
  const [ndjson, tree, gzipped, piped] = await Promise.all([
    scan(shapes.ndjson),
    scan(shapes.tree),
    scan(shapes.gzippedNdjson),
    scan('-', readFileSync(shapes.ndjson)),
  ]);
  const want = byEventId(ndjson.stdout);
  expect(want.length).toBeGreaterThan(0);
  expect(byEventId(tree.stdout)).toEqual(want);
  expect(byEventId(gzipped.stdout)).toEqual(want);
  expect(piped.stdout).toBe(ndjson.stdout);
  for (const other of [tree, gzipped, piped]) expect(other.stderr).toBe(ndjson.stderr);
  return want;
}

/** `--format json` is the NDJSON lines as one array: `[`, the lines joined by `,`, `]`. */
async function expectJsonFormatAgrees(input: string): Promise<void> {
  const [ndjson, json] = await Promise.all([
    runCtq([...ACTIONS, '--input', input, '--match', X]),
    runCtq([...ACTIONS, '--input', input, '--match', X, '--format', 'json']),
  ]);
  const lines = ndjson.stdout === '' ? [] : ndjson.stdout.replace(/\n$/, '').split('\n');
  expect(lines.length).toBeGreaterThan(0);
  expect(json.stdout).toBe(`[\n${lines.join(',\n')}\n]\n`);
  expect(json.stderr).toBe(ndjson.stderr);
  expect(json.code).toBe(ndjson.code);
}

function normalized(line: string): string {
  return JSON.stringify(JSON.parse(line));
}

function shapesOf(name: string, records: readonly JsonObject[]): EventShapes {
  const at = join(dir, name);
  rmSync(at, { recursive: true, force: true });
  mkdirSync(at);
  return writeShapes(at, records);
}

describe('the same events in every input shape give the same lines', () => {
  it('fixtures: events.ndjson and the AWSLogs tree (the same 240 events) give the same lines', async () => {
    const [ndjson, tree] = await Promise.all([scan('fixtures/events.ndjson'), scan('fixtures/AWSLogs')]);
    expect(byEventId(tree.stdout)).toEqual(byEventId(ndjson.stdout));
    expect(byEventId(ndjson.stdout).length).toBeGreaterThan(0);
  });

  it('generated events: NDJSON, trail tree, gzipped NDJSON, stdin', async () => {
    await expectShapesAgree(shapesOf('generated', syntheticEvents({ count: 1500, seed: 5 })));
  });

  const stratus = datasetRecords('stratus-detonation-logs');
  it.skipIf(stratus.length === 0)('real Stratus records: as published, as NDJSON, as a trail tree', async () => {
    const want = await expectShapesAgree(shapesOf('stratus', stratus));
    // The published files are pretty-printed and escape `<` as `\u003c`: their records' bytes are not
    // the NDJSON's, so they are compared as JSON values (in one serialization), not as bytes.
    const published = await scan(join(DATASETS, 'stratus-detonation-logs'));
    expect(byEventId(published.stdout).map(normalized)).toEqual(want.map(normalized));
  });

  const plaso = join(DATASETS, 'plaso-lookup-events', 'aws_cloudtrail.jsonl');
  it.skipIf(!existsSync(plaso))('real LookupEvents output (plaso) and its CloudTrailEvent records as NDJSON', async () => {
    const records = readFileSync(plaso, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse((JSON.parse(line) as { CloudTrailEvent: string }).CloudTrailEvent) as JsonObject);
    const want = await expectShapesAgree(shapesOf('plaso', records));
    expect(byEventId((await scan(plaso)).stdout)).toEqual(want);
  });

  // The shape `cat AWSLogs/**/*.json | ctq --input -` makes: trail documents back to back in one stream.
  it('generated events: trail documents concatenated on stdin (zcat of a tree)', async () => {
    const shapes = shapesOf('concatenated', syntheticEvents({ count: 600, seed: 6 }));
    const [ndjson, piped] = await Promise.all([scan(shapes.ndjson), scan('-', shapes.concatenated)]);
    expect(piped.stderr).toBe(ndjson.stderr);
    expect(byEventId(piped.stdout)).toEqual(byEventId(ndjson.stdout));
  });
});

describe('--format json holds the NDJSON lines', () => {
  const fixtures = ['fixtures/events.ndjson', 'fixtures/AWSLogs', 'fixtures/identity', 'fixtures/bad'];
  for (const input of [...fixtures, join(DATASETS, 'stratus-detonation-logs')]) {
    it.skipIf(!existsSync(input))(`on ${label(input)}`, async () => {
      await expectJsonFormatAgrees(input);
    });
  }
});

/**
 * `--summary`'s rows depend on input order only in their first values (samples, the first denied target):
 * shapes in the same order give the same bytes; the tree (ordered by account, region and day) gives the
 * same counts, times, sets and tallies as the NDJSON.
 */
describe('--summary gives the same rows in every input shape', () => {
  const ORDERED_BY_INPUT = ['sampleRequestParameters', 'sampleResources', 'sampleErrorMessage', 'deniedTarget'];
  const summaryOf = async (input: string, stdin?: Buffer): Promise<CtqResult> => {
    const result = await runCtq([...ACTIONS, '--input', input, '--match', X, '--summary'], stdin === undefined ? {} : { stdin });
    expect(result.code, result.stderr).toBe(0);
    return result;
  };
  const withoutOrdered = (ndjson: string): JsonObject[] =>
    ndjson
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => Object.fromEntries(Object.entries(JSON.parse(line) as JsonObject).filter(([key]) => !ORDERED_BY_INPUT.includes(key))));

  it('generated events: NDJSON, gzipped NDJSON and stdin give the same bytes; the tree, its zcat on stdin', async () => {
    const shapes = shapesOf('summary', syntheticEvents({ count: 1500, seed: 8, accessDeniedRate: 0.2 }));
    const [ndjson, gzipped, piped, tree, zcat] = await Promise.all([
      summaryOf(shapes.ndjson),
      summaryOf(shapes.gzippedNdjson),
      summaryOf('-', readFileSync(shapes.ndjson)),
      summaryOf(shapes.tree),
      summaryOf('-', shapes.concatenated),
    ]);
    expect(ndjson.stdout.split('\n').length).toBeGreaterThan(5);
    expect(gzipped.stdout).toBe(ndjson.stdout);
    expect(piped.stdout).toBe(ndjson.stdout);
    expect(zcat.stdout).toBe(tree.stdout);
    expect(withoutOrdered(tree.stdout)).toEqual(withoutOrdered(ndjson.stdout));
  });
});

