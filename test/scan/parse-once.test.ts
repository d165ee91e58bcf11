/**
 * Local matches travel as records: a scan on this thread hands the stages after it (--state
 * de-duplication, --summary, the table, thresholds) the event it parsed to filter, so no matched line
 * is parsed again. Counted on real runs in-process (workers off, so every parse is on this thread),
 * per eventID, over the JSON.parse calls given that event's own line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JsonObject } from '../../src/language/json';
import { runInProcess } from '../rules/in-process';
import { countingParses } from '../support/count-parses';
import { syntheticEvents } from '../support/synthetic-events';

const events: JsonObject[] = syntheticEvents({ count: 200, seed: 47, regions: ['us-east-1'] });

let dir = '';
let input = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-local-parse-once-'));
  input = join(dir, 'events.jsonl');
  writeFileSync(input, events.map((event) => JSON.stringify(event) + '\n').join(''));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs ctq over the file and counts, per eventID, the parses of a text holding `"eventID":"…"`. */
async function parsesPerEvent(args: string[]): Promise<{ code: number; stdout: string; stderr: string; parses: Map<string, number> }> {
  const { result, parses } = await countingParses(() => runInProcess(['--input', input, '--workers', '1', ...args]));
  return { ...result, parses };
}

/** Events parsed other than `times` times. */
function parsedOtherThan(parses: Map<string, number>, times: number): [string, number][] {
  return [...parses].filter(([, count]) => count !== times);
}

describe('local matches are parsed once', () => {
  it('through --state de-duplication and the table', async () => {
    for (const args of [['*:*', '--state', join(dir, 'table.state'), '--format', 'table'], ['*:*', '--format', 'table']]) {
      const { code, stdout, stderr, parses } = await parsesPerEvent(args);
      expect(code, stderr).toBe(0);
      expect(stdout.split('\n').length).toBeGreaterThan(events.length);
      expect(parses.size, args.join(' ')).toBe(events.length);
      expect(parsedOtherThan(parses, 1), args.join(' ')).toEqual([]);
    }
  });

  it('through --summary: once to filter, at most once more to build the graph, none after', async () => {
    const { code, stderr, parses } = await parsesPerEvent(['*:*', '--summary', '--state', join(dir, 'summary.state')]);
    expect(code, stderr).toBe(0);
    expect(parses.size).toBe(events.length);
    // Pass one builds the graph from every event, most read from their bytes (scan/identity-raw-read.ts:
    // only their identity is parsed, which holds no eventID); pass two parses each to filter it.
    expect([...parses].filter(([, count]) => count < 1 || count > 2)).toEqual([]);
    expect(parsedOtherThan(parses, 1).length).toBeLessThan(events.length / 2);
  });

  it('plain NDJSON output parses each record once, to filter it', async () => {
    const { code, stdout, stderr, parses } = await parsesPerEvent(['*:*']);
    expect(code, stderr).toBe(0);
    expect(stdout).toBe(events.map((event) => JSON.stringify(event) + '\n').join(''));
    expect(parsedOtherThan(parses, 1)).toEqual([]);
  });
});
