/**
 * The record splitter reads what jq reads: any sequence of JSON values back to back, in every form
 * CloudTrail data comes in, glued together every way tools glue them — and damage to one record
 * costs that record alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalEvents } from '../../src/scan/read-events';
import type { SourceItem } from '../../src/sources/source-item';
import { Rng, syntheticEvents } from '../support/synthetic-events';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-splitter-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Event = Record<string, unknown>;

async function read(path: string, stdin?: Buffer): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  const options = stdin ? { stdin: Readable.from([stdin]) } : {};
  for await (const item of readLocalEvents([path], options)) items.push(item);
  return items;
}

/** Every form a run of events is written in: by AWS (trail files, lookup-events), by tools (NDJSON, arrays), by hand (pretty). */
const FORMS: Record<string, (events: Event[]) => string> = {
  ndjson: (events) => events.map((e) => JSON.stringify(e)).join('\n') + '\n',
  trail: (events) => JSON.stringify({ Records: events }),
  'trail, pretty': (events) => JSON.stringify({ Records: events }, null, 2),
  'lookup-events': (events) =>
    JSON.stringify({ Events: events.map((e) => ({ EventId: e.eventID, EventName: e.eventName, CloudTrailEvent: JSON.stringify(e) })), NextToken: 'x' }, null, 4),
  array: (events) => JSON.stringify(events),
  'array, pretty': (events) => JSON.stringify(events, null, 1),
  'one event per value, pretty': (events) => events.map((e) => JSON.stringify(e, null, 2)).join(''),
};
const GLUE = ['', '\n', ' ', '\r\n', '\n\n\t'];

describe('any sequence of JSON values, in every form and glued every way', () => {
  it('reads exactly the events written, each once and as written, for random mixes (file, gzip, multi-member gzip, stdin)', async () => {
    const pool = syntheticEvents({ count: 400, seed: 5 });
    const forms = Object.keys(FORMS);
    for (let seed = 1; seed <= 30; seed++) {
      const rng = new Rng(seed);
      const events = pool.slice(0, 20 + rng.int(200));
      const parts: string[] = [];
      const used: string[] = [];
      for (let at = 0; at < events.length; ) {
        const n = 1 + rng.int(40);
        const form = forms[rng.int(forms.length)]!;
        used.push(form);
        parts.push(FORMS[form]!(events.slice(at, at + n)) + GLUE[rng.int(GLUE.length)]!);
        at += n;
      }
      const how = rng.int(4);
      const label = `seed ${seed}: ${used.join(' + ')} (${['file', 'gzip', 'multi-member gzip', 'stdin'][how]})`;
      const text = Buffer.from(parts.join(''));
      const bytes = how === 1 ? gzipSync(text) : how === 2 ? Buffer.concat(parts.map((p) => gzipSync(p))) : text;
      const path = how === 3 ? '-' : join(dir, `mix-${seed}.json${how === 1 || how === 2 ? '.gz' : ''}`);
      if (how !== 3) writeFileSync(path, bytes);
      const items = await read(path, how === 3 ? bytes : undefined);
      expect(items.filter((i) => i.kind === 'bad'), label).toEqual([]);
      const texts = items.map((i) => (i.kind === 'event' ? i.text : ''));
      expect(texts, label).toEqual(events.map((e) => JSON.stringify(e)));
    }
  });
});

describe('trail records whose keys were sorted (copies through jq -S, Athena, the Stratus Red Team logs)', () => {
  /** Keys in alphabetical order, as those copies have them: the first key is not eventVersion. */
  const sorted = (event: Event): Event => Object.fromEntries(Object.entries(event).sort(([a], [b]) => (a < b ? -1 : 1)));

  it('reads every record once and as written, when records open with different keys and nested lists hold objects that open with the same keys', async () => {
    const events = syntheticEvents({ count: 120, seed: 33 }).map((e, i) => {
      const record = sorted(e);
      // Decoys for the fast path: `,{"awsRegion"` and `,{"additionalEventData"` inside a record.
      if (i % 3 === 0) record.resources = [{ ARN: 'arn:aws:s3:::b' }, { awsRegion: 'decoy' }, { additionalEventData: { x: '},{"awsRegion":1' } }];
      return i % 4 === 0 ? { additionalEventData: { n: i }, ...record } : record;
    });
    const records = events.map((e) => JSON.stringify(e));
    for (const [name, text] of [
      ['one line', `{"Records":[${records.join(',')}]}`],
      ['spaced', `{"Records": [${records.join(', ')}]}`],
      ['gzipped', `{"Records":[${records.join(',')}]}`],
    ] as const) {
      const path = join(dir, `sorted-${name.replace(' ', '-')}.json${name === 'gzipped' ? '.gz' : ''}`);
      writeFileSync(path, name === 'gzipped' ? gzipSync(text) : text);
      const items = await read(path);
      expect(items.filter((i) => i.kind === 'bad'), name).toEqual([]);
      expect(items.map((i) => (i.kind === 'event' ? i.text : null)), name).toEqual(records);
    }
  });
});

describe('damage costs one record', () => {
  it('loses only the damaged record of a one-line trail document, for 60 random damages', async () => {
    const events = syntheticEvents({ count: 40, seed: 21 });
    const records = events.map((e) => JSON.stringify(e));
    const originals = new Set(records);
    for (let seed = 1; seed <= 60; seed++) {
      const rng = new Rng(seed);
      const victim = rng.int(records.length);
      const record = records[victim]!;
      const at = rng.int(record.length);
      const damaged = [
        () => record.slice(0, at) + String.fromCharCode(rng.int(128)) + record.slice(at + 1), // a byte changed
        () => record.slice(0, at) + record.slice(at + 1), // a byte lost
        () => record.slice(0, at), // cut short
      ][rng.int(3)]!();
      const document = `{"Records":[${records.map((r, i) => (i === victim ? damaged : r)).join(',')}]}`;
      const path = join(dir, `damaged-${seed}.json`);
      writeFileSync(path, document);
      const items = await read(path);
      const got = items.flatMap((i) => (i.kind === 'event' ? [i.text ?? ''] : []));
      const label = `seed ${seed}, record ${victim}`;
      for (const [i, r] of records.entries()) if (i !== victim) expect(got.filter((t) => t === r).length, `${label}: record ${i}`).toBe(1);
      // Nothing is made up: at most the damaged record itself, if the damage left it valid JSON.
      expect(got.filter((t) => !originals.has(t)).length, label).toBeLessThanOrEqual(1);
      if (got.length < records.length) expect(items.some((i) => i.kind === 'bad'), `${label}: damage reported`).toBe(true);
    }
  });

  it('reads 50,000 NDJSON lines after a damaged first line', async () => {
    const line = '{"eventVersion":"1.08","eventID":"x","eventName":"GetObject"}';
    const path = join(dir, 'long-after-damage.ndjson');
    writeFileSync(path, '{"eventVersion":"1.08","eventID":' + '\n' + `${line}\n`.repeat(50_000));
    const items = await read(path);
    expect(items.filter((i) => i.kind === 'event')).toHaveLength(50_000);
    expect(items.filter((i) => i.kind === 'bad').map((i) => i.origin.line)).toEqual([1]);
  });

  it('reads a line of 20 MB in one piece', async () => {
    const event = { eventVersion: '1.08', eventID: 'long', requestParameters: { blob: 'y'.repeat(20 << 20) } };
    const path = join(dir, 'long-line.ndjson');
    writeFileSync(path, `${JSON.stringify(event)}\n${JSON.stringify({ eventVersion: '1.08', eventID: 'next' })}\n`);
    const items = await read(path);
    expect(items.map((i) => (i.kind === 'event' ? i.event.eventID : i.message))).toEqual(['long', 'next']);
  });
});
