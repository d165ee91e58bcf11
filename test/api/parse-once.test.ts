/**
 * Matches travel as records that hold their parsed event: each LookupEvents `CloudTrailEvent` is parsed
 * once, to be filtered, and the stages after the scan (--state de-duplication, --summary, the table,
 * --enrich's identity pass) read that same event instead of parsing the text again. Counted on a real
 * run in-process, against the emulator over HTTP with the real SDK.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import type { JsonObject } from '../../src/language/json';
import { runInProcess } from '../athena/run-in-process';
import { countingParses } from '../support/count-parses';
import { syntheticEvents } from '../support/synthetic-events';

const NOW = Date.now();
const events: JsonObject[] = syntheticEvents({ count: 120, seed: 31, regions: ['us-east-1'], start: new Date(NOW - 86_400_000), end: new Date(NOW - 60_000) });

let emulator: RunningEmulator;
let dir = '';
beforeAll(async () => {
  emulator = await startEmulator({ data: { kind: 'events', events }, rate: 0, log: () => {} });
  dir = mkdtempSync(join(tmpdir(), 'ctq-parse-once-'));
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/**
 * Runs ctq over the emulator and counts, per eventID, the JSON.parse calls given that event's own
 * text. A page of the API's answer holds each event as an escaped string (`\"eventID\":\"…`), so only
 * a parse of one event's text contains `"eventID":"…"` as such.
 */
async function parsesPerEvent(args: string[]): Promise<{ code: number; stdout: string; stderr: string; parses: Map<string, number> }> {
  for (const [name, value] of Object.entries({ AWS_ACCESS_KEY_ID: 'AKIAEMULATOR', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1', AWS_PROFILE: '' })) {
    vi.stubEnv(name, value);
  }
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'no-config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'no-credentials'));
  const { result, parses } = await countingParses(() => runInProcess([...args, '--regions', 'us-east-1', '--endpoint-url', emulator.url], { now: NOW }));
  return { ...result, parses };
}

describe('LookupEvents matches are parsed once', () => {
  it('through --state de-duplication and --summary', async () => {
    const { code, stderr, parses } = await parsesPerEvent(['*:*', '--state', join(dir, 'summary.state'), '--summary']);
    expect(code, stderr).toBe(0);
    expect(parses.size).toBe(events.length);
    expect([...parses].filter(([, count]) => count !== 1)).toEqual([]);
  });

  it('through the table, and through --enrich (events held for the identity graph)', async () => {
    for (const args of [['*:*', '--format', 'table'], ['*:*', '--enrich', '--format', 'table']]) {
      const { code, stdout, stderr, parses } = await parsesPerEvent(args);
      expect(code, stderr).toBe(0);
      expect(stdout.split('\n').length).toBeGreaterThan(events.length);
      expect(parses.size).toBe(events.length);
      expect([...parses].filter(([, count]) => count !== 1), args.join(' ')).toEqual([]);
    }
  });
});
