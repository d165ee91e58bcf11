import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Checkpoint } from '../../src/query/checkpoint';
import { matchRecords } from '../../src/output/match-record';

const NOW = new Date('2026-11-27T12:00:00Z');
const OVERLAP_MS = 30 * 60_000;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function lines(count: number, timeMs: (i: number) => number): string {
  return Array.from({ length: count }, (_, i) => JSON.stringify({ eventID: `id-${timeMs(i)}-${i}`, eventTime: new Date(timeMs(i)).toISOString() }) + '\n').join('');
}

async function open(warnings: string[], cap: number): Promise<Checkpoint> {
  const dir = mkdtempSync(join(tmpdir(), 'ctq-checkpoint-'));
  dirs.push(dir);
  const opened = await Checkpoint.open(join(dir, 'state'), 'query', OVERLAP_MS, NOW, (m) => warnings.push(m), cap);
  if (!opened.ok) throw new Error(opened.message);
  return opened.checkpoint;
}

describe('the recent-ID cap warning', () => {
  test('a first run that evicts only IDs older than the overlap window says nothing: no next read returns them', async () => {
    const warnings: string[] = [];
    const checkpoint = await open(warnings, 10);
    // 50 events spread over the past ten days: the cap pushes out 40 old ones, none inside the last 30 minutes.
    const text = lines(50, (i) => NOW.getTime() - (50 - i) * 5 * 3600_000);
    expect(checkpoint.keepNew(matchRecords(text)).records.map((r) => r.text + '\n').join('')).toBe(text);
    expect(await checkpoint.commit(NOW, { localInputs: true })).toEqual({ ok: true });
    await checkpoint.close();
    expect(warnings).toEqual([]);
  });

  test('more events inside the overlap window than the cap holds is warned about, once', async () => {
    const warnings: string[] = [];
    const checkpoint = await open(warnings, 10);
    checkpoint.keepNew(matchRecords(lines(25, (i) => NOW.getTime() - 20 * 60_000 + i * 1000)));
    expect(await checkpoint.commit(NOW, { localInputs: true })).toEqual({ ok: true });
    checkpoint.keepNew(matchRecords(lines(25, (i) => NOW.getTime() - 10 * 60_000 + i * 1000)));
    expect(await checkpoint.commit(NOW, { localInputs: true })).toEqual({ ok: true });
    await checkpoint.close();
    expect(warnings).toEqual(['more events inside the overlap window than the state remembers: some may repeat in the next run']);
  });
});
