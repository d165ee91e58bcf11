/**
 * Nothing is lost silently: whatever damage an input has, every line read comes back as an event or
 * as a bad record, and a damaged trail file yields only whole, unaltered records from before the damage.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalEvents } from '../../src/scan/read-events';
import type { SourceItem } from '../../src/sources/source-item';
import { Rng, syntheticEvents } from '../support/synthetic-events';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-damage-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(path: string): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readLocalEvents([path])) items.push(item);
  return items;
}

const events = syntheticEvents({ count: 60, seed: 8 });
const originals = new Set(events.map((e) => JSON.stringify(e)));

describe('damaged NDJSON', () => {
  it('accounts for every line as an event or a bad record, for 40 random corruptions', async () => {
    const clean = Buffer.from(events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    for (let seed = 1; seed <= 40; seed++) {
      const rng = new Rng(seed);
      const bytes = Buffer.from(clean);
      for (let n = 0; n < 1 + rng.int(8); n++) {
        const at = rng.int(bytes.length);
        if (bytes[at] === 0x0a) continue; // keep the line count fixed: that is what is counted
        let replacement = rng.int(256);
        if (replacement === 0x0a) replacement = 0x7b;
        bytes[at] = replacement;
      }
      const file = join(dir, `lines-${seed}.ndjson`);
      writeFileSync(file, bytes);
      const items = await read(file);
      expect(items.length, `seed ${seed}`).toBe(events.length);
      for (const item of items) expect(item.origin.line, `seed ${seed}`).toBeGreaterThan(0);
    }
  });
});

describe('damaged trail files', () => {
  it('yields only whole original records, in order, and reports the damage, for 40 random truncations', async () => {
    const document = JSON.stringify({ Records: events });
    const gz = gzipSync(document);
    for (let seed = 1; seed <= 40; seed++) {
      const rng = new Rng(seed);
      const gzipped = rng.next() < 0.5;
      const whole = gzipped ? gz : Buffer.from(document);
      const cut = 10 + rng.int(whole.length - 20);
      const file = join(dir, `trail-${seed}.json${gzipped ? '.gz' : ''}`);
      writeFileSync(file, whole.subarray(0, cut));
      const items = await read(file);
      const got = items.filter((i) => i.kind === 'event').map((i) => (i.kind === 'event' ? JSON.stringify(i.event) : ''));
      expect(items.some((i) => i.kind === 'bad'), `seed ${seed}: damage reported`).toBe(true);
      for (const record of got) expect(originals.has(record), `seed ${seed}`).toBe(true);
      // A prefix of the records, in order.
      expect(got, `seed ${seed}`).toEqual(events.slice(0, got.length).map((e) => JSON.stringify(e)));
    }
  });
});
