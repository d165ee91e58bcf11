import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  RecentIds,
  createState,
  loadState,
  nodeWriteSteps,
  saveState,
  serialiseState,
  type AtomicWriteSteps,
  type CtqState,
  type FileCursor,
} from '../../src/state';

const QUERY = '0123456789abcdef';
const NOW = new Date('2026-11-27T12:00:00Z');
const CURSOR: FileCursor = { size: 1000, mtimeMs: 1_700_000_000_123.5, dev: 2049, ino: 77, offset: 950, gzip: false, ndjson: true };

let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctq-state-'));
  path = join(dir, 'ctq.state');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sampleState(): CtqState {
  const recent = new RecentIds();
  recent.add('11111111-1111-4111-8111-111111111111', NOW.getTime() - 60_000);
  recent.add('22222222-2222-4222-8222-222222222222', NOW.getTime());
  return {
    ...createState(QUERY, 900_000, NOW),
    files: { 'AWSLogs/a.ndjson': CURSOR, 'AWSLogs/b.json.gz': { ...CURSOR, gzip: true, ndjson: false, offset: 1000 } },
    windows: { '123456789012/us-east-1/EventName=GetObject': NOW.getTime() },
    recent: recent.toJSON(),
  };
}

async function loadOk(expected = QUERY) {
  const loaded = await loadState(path, expected);
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded;
}

async function loadError(expected = QUERY): Promise<string> {
  const loaded = await loadState(path, expected);
  if (loaded.ok) throw new Error('expected the state file to be refused');
  expect(loaded.message).not.toContain('\n');
  expect(loaded.message).toContain(path);
  return loaded.message;
}

describe('loadState', () => {
  test('a missing file is the first run: no state, an empty recent set', async () => {
    const loaded = await loadOk();
    expect(loaded.state).toBeNull();
    expect(loaded.recent.size).toBe(0);
  });

  test('what saveState wrote loads back equal, with its recent IDs ready to use', async () => {
    const state = sampleState();
    expect(await saveState(path, state, NOW)).toEqual({ ok: true });
    const loaded = await loadOk();
    expect(loaded.state).toEqual(state);
    expect(loaded.recent.size).toBe(2);
    expect(loaded.recent.has('22222222-2222-4222-8222-222222222222')).toBe(true);
  });

  test('saving sets updatedAt and keeps createdAt', async () => {
    const later = new Date(NOW.getTime() + 3_600_000);
    await saveState(path, sampleState(), later);
    const loaded = await loadOk();
    expect(loaded.state?.createdAt).toBe(NOW.toISOString());
    expect(loaded.state?.updatedAt).toBe(later.toISOString());
  });

  test('garbage is refused as not JSON', async () => {
    await writeFile(path, 'this is not json\n');
    expect(await loadError()).toMatch(/not valid JSON .*delete it to start over/);
  });

  test('a truncated state file is refused, not read as a fresh start', async () => {
    const text = serialiseState(sampleState());
    await writeFile(path, text.slice(0, Math.floor(text.length / 2)));
    expect(await loadError()).toMatch(/not valid JSON \(truncated or damaged\)/);
  });

  test('an empty file is refused as truncated', async () => {
    await writeFile(path, '');
    expect(await loadError()).toMatch(/is empty \(truncated\?\)/);
  });

  test('foreign JSON is refused as not a ctq state file', async () => {
    await writeFile(path, JSON.stringify({ Records: [] }));
    expect(await loadError()).toMatch(/is not a ctq state file/);
    await writeFile(path, '[1,2,3]');
    expect(await loadError()).toMatch(/is not a ctq state file/);
  });

  test('a state from a newer ctq is refused with the versions named', async () => {
    await writeFile(path, JSON.stringify({ ...JSON.parse(serialiseState(sampleState())), version: 2 }));
    expect(await loadError()).toMatch(/newer ctq \(state version 2, this ctq reads 1\); upgrade ctq/);
  });

  test('a state written for another query is refused with both fingerprints', async () => {
    await saveState(path, sampleState(), NOW);
    const message = await loadError('fedcba9876543210');
    expect(message).toContain('different query');
    expect(message).toContain(QUERY);
    expect(message).toContain('fedcba9876543210');
  });

  test('a state with damaged members is refused as damaged', async () => {
    const good = JSON.parse(serialiseState(sampleState())) as Record<string, unknown>;
    for (const damage of [
      { files: { 'a.json': [1, 2, 3] } },
      { windows: { key: 'yesterday' } },
      { recent: { d: 'zz', t: [1] } },
      { overlapMs: -1 },
      { version: 0 },
    ]) {
      await writeFile(path, JSON.stringify({ ...good, ...damage }));
      expect(await loadError()).toMatch(/damaged/);
    }
  });

  test('an unreadable path is an error, not a first run', async () => {
    await mkdir(path); // a directory where the file should be
    expect(await loadError()).toMatch(/cannot be read \(EISDIR\)/);
  });

  test('more recent IDs than the cap are trimmed on load and counted', async () => {
    const recent = new RecentIds();
    for (let i = 0; i < 10; i++) recent.add(`e${i}`, NOW.getTime() + i);
    await saveState(path, { ...sampleState(), recent: recent.toJSON() }, NOW);
    const loaded = await loadState(path, QUERY, 4);
    if (!loaded.ok) throw new Error(loaded.message);
    expect(loaded.evicted).toBe(6);
    expect(loaded.recent.size).toBe(4);
  });
});

describe('saveState writes atomically', () => {
  test('the file is one line of compact JSON with cursors as tuples', async () => {
    await saveState(path, sampleState(), NOW);
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('\n');
    expect(text).not.toContain('  ');
    expect(JSON.parse(text).files['AWSLogs/a.ndjson']).toEqual([1000, CURSOR.mtimeMs, 2049, 77, 950, 2]);
  });

  test('no temporary file is left behind after a save', async () => {
    await saveState(path, sampleState(), NOW);
    await saveState(path, sampleState(), NOW);
    expect(await readdir(dir)).toEqual(['ctq.state']);
  });

  test('a crash while writing the temporary file leaves the old state intact and loadable', async () => {
    const old = sampleState();
    await saveState(path, old, NOW);
    const crashing: AtomicWriteSteps = {
      ...nodeWriteSteps,
      async writeSynced(temporary, data) {
        await writeFile(temporary, data.slice(0, 20)); // half-written, then the "crash"
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
      // A real crash would not clean up: keep the half-written temporary file there.
      async unlink() {},
    };
    const result = await saveState(path, { ...old, windows: { other: 1 } }, NOW, crashing);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/cannot save state file .*ENOSPC.*previous state is unchanged/) });
    expect((await readdir(dir)).length).toBe(2); // the old state and the half-written temporary file
    expect((await loadOk()).state).toEqual(old);
  });

  test('a failed rename leaves the old state intact and removes the temporary file', async () => {
    const old = sampleState();
    await saveState(path, old, NOW);
    const renameFails: AtomicWriteSteps = {
      ...nodeWriteSteps,
      async rename() {
        throw Object.assign(new Error('cross-device link'), { code: 'EXDEV' });
      },
    };
    const result = await saveState(path, { ...old, windows: { other: 1 } }, NOW, renameFails);
    expect(result.ok).toBe(false);
    expect(await readdir(dir)).toEqual(['ctq.state']);
    expect((await loadOk()).state).toEqual(old);
  });

  test('the target is only ever replaced by a rename of a complete, flushed file', async () => {
    const calls: string[] = [];
    const spying: AtomicWriteSteps = {
      async writeSynced(temporary, data) {
        calls.push(`write ${temporary === path ? 'TARGET' : 'temp'}`);
        await nodeWriteSteps.writeSynced(temporary, data);
        expect(JSON.parse(await readFile(temporary, 'utf8'))).toMatchObject({ format: 'ctq-state' });
      },
      async rename(from, to) {
        calls.push(`rename ${from.startsWith(dir) ? 'temp' : '?'} -> ${to === path ? 'TARGET' : to}`);
        await nodeWriteSteps.rename(from, to);
      },
      async syncDirectory(directory) {
        calls.push(`sync ${directory === dir ? 'dir' : directory}`);
        await nodeWriteSteps.syncDirectory(directory);
      },
      async unlink(file) {
        calls.push(`unlink ${file}`);
      },
    };
    expect(await saveState(path, sampleState(), NOW, spying)).toEqual({ ok: true });
    expect(calls).toEqual(['write temp', 'rename temp -> TARGET', 'sync dir']);
  });

  test('a save into a directory that does not exist fails, names the file and leaves nothing behind', async () => {
    const nowhere = join(dir, 'missing', 'ctq.state');
    const result = await saveState(nowhere, sampleState(), NOW);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/cannot save state file .*missing.*ENOENT/) });
    expect(await readdir(dir)).toEqual([]);
  });

  test('a leftover temporary file from an earlier crash does not affect loading or saving', async () => {
    const old = sampleState();
    await saveState(path, old, NOW);
    await writeFile(join(dir, '.ctq.state.12345.deadbeef.tmp'), '{"format":"ctq-st');
    expect((await loadOk()).state).toEqual(old);
    expect(await saveState(path, old, NOW)).toEqual({ ok: true });
    expect((await loadOk()).state).toEqual(old);
  });
});
