/**
 * `--state` never drops a file's cursor because a read was damaged: the next run continues after
 * the last whole line read. Re-reading from byte 0 stopped at the same fault every run, so cron
 * runs never got past it (948,225 of 1,005,131 events lost in a kill loop).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Checkpoint } from '../../src/query/checkpoint';

const dir = mkdtempSync(join(tmpdir(), 'ctq-damaged-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function checkpoint(): Promise<Checkpoint> {
  const opening = await Checkpoint.open(null, 'fingerprint', 30 * 60_000, new Date(), () => {});
  if (!opening.ok) throw new Error(opening.message);
  return opening.checkpoint;
}

describe('a damaged read keeps the cursor', () => {
  it('continues plain NDJSON after the last whole line read before the fault', async () => {
    const path = join(dir, 'events.ndjson');
    writeFileSync(path, '{"eventID":"a"}\n'.repeat(100));
    const state = await checkpoint();
    expect(await state.planRead(path)).toEqual({ start: 0 });
    state.readDone(path, { consumedTo: 800, ndjson: true, unreadable: true });
    state.nextRound();
    expect(await state.planRead(path)).toEqual({ start: 800 });
  });

  it('reads a gzip cut short (still downloading) whole next time', async () => {
    const path = join(dir, 'events.json.gz');
    writeFileSync(path, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]));
    const state = await checkpoint();
    await state.planRead(path);
    state.readDone(path, { consumedTo: 10, ndjson: false, unreadable: true });
    state.nextRound();
    expect(await state.planRead(path)).toEqual({ start: 0 });
  });
});
