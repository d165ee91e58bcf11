/**
 * Chunks whose every line is one `{…}` record are read the ripgrep way when the query has a literal:
 * the chunk is searched for the needles and only the lines they fall on are read. These tests hold
 * that reading to the line-by-line one: same events, same bad records at the same lines, and the
 * same number of events scanned.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChunks, rechunk, type TextChunk } from '../../src/sources/local/chunks';
import { byteSourceOf } from '../../src/sources/local/file-source';
import { visitChunk } from '../../src/sources/local/records';
import type { LiteralNeedles } from '../../src/language/prefilter';
import { Rng } from '../support/synthetic-events';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-record-lines-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NEEDLES: LiteralNeedles = { needles: ['AccessDenied'], escapes: ['\\u'] };

/** One `{…}` line: a record with or without the needle, or damage that still opens and closes on its line. */
function recordLine(rng: Rng, i: number): string {
  const code = rng.next() < 0.2 ? 'AccessDenied' : 'Throttling';
  const record = `{"eventVersion":"1.08","eventID":"${i}","errorCode":"${code}","pad":"${'x'.repeat(rng.int(300))}"}`;
  switch (rng.int(12)) {
    case 0:
      return `{"eventID":"${i}","errorCode":"${code}",}`; // damaged
    case 1:
      return `${record}{"eventID":"${i}b","errorCode":"${code}"}`; // two values on one line
    case 2:
      return `\ufeff${record}`; // a byte order mark left by `cat`
    case 3:
      return `${record}\r`; // CRLF
    case 4:
      return `{"eventID":"${i}","errorCode":"Access\\u0044enied"}`; // the needle spelt with an escape
    case 5:
      return `{"eventID":"${i}","note":"AccessDenied"}`; // the needle, but not where the query looks
    default:
      return record;
  }
}

interface Seen {
  readonly events: string[];
  readonly bad: string[];
  scanned: number;
}

function visit(chunk: TextChunk): Seen {
  const seen: Seen = { events: [], bad: [], scanned: 0 };
  visitChunk(chunk, {
    literal: NEEDLES,
    event(_event, text, origin) {
      seen.scanned++;
      seen.events.push(`${origin.line}: ${text}`);
    },
    ruledOut(count) {
      seen.scanned += count;
    },
    bad(origin, message) {
      seen.bad.push(`${origin.line}: ${message}`);
    },
  });
  return seen;
}

describe('reading only the lines a needle falls on', () => {
  it('finds the same events and bad records, at the same lines, and counts the same lines scanned, for 30 random chunks', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rng = new Rng(seed);
      const count = 1 + rng.int(400);
      const text = Array.from({ length: count }, (_, i) => recordLine(rng, i)).join('\n') + '\n';
      const bytes = Buffer.from(text);
      const firstLine = 1 + rng.int(1000);
      const careful = visit({ format: 'text', source: 'x', firstLine, bytes });
      const skipping = visit({ format: 'text', source: 'x', firstLine, bytes, recordLines: count });
      expect(skipping, `seed ${seed}`).toEqual(careful);
      expect(careful.scanned + careful.bad.length, `seed ${seed}`).toBeGreaterThanOrEqual(count);
    }
  });

  it('counts every line of a chunk without a single needle as scanned', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `{"eventID":"${i}","errorCode":"Throttling"}`).join('\n') + '\n';
    const seen = visit({ format: 'text', source: 'x', firstLine: 1, bytes: Buffer.from(text), recordLines: 1000 });
    expect(seen).toEqual({ events: [], bad: [], scanned: 1000 });
  });
});

describe('which chunks are record lines', () => {
  /** The file read into chunks, then cut again into slices of about `size` bytes the way the reader cuts what it reads. */
  async function slicesOf(text: string, size: number): Promise<TextChunk[]> {
    const file = join(dir, 'input.json');
    writeFileSync(file, text);
    const slices: TextChunk[] = [];
    for await (const chunk of readChunks(byteSourceOf({ kind: 'file', path: file, size: Buffer.byteLength(text) }))) {
      if (chunk.format !== 'text') continue;
      // Without its mark, the chunk goes through the cutter again, which marks each slice afresh.
      slices.push(...rechunk({ format: 'text', source: chunk.source, firstLine: chunk.firstLine, bytes: chunk.bytes }, size));
    }
    return slices;
  }

  const newlines = (chunk: TextChunk) => Buffer.from(chunk.bytes).toString('latin1').split('\n').length - 1;

  it('marks NDJSON chunks with their line count, and keeps the count through slicing', async () => {
    const rng = new Rng(3);
    const text = Array.from({ length: 3000 }, (_, i) => recordLine(rng, i)).join('\n') + '\n';
    const slices = await slicesOf(text, 20_000);
    expect(slices.length).toBeGreaterThan(5);
    for (const slice of slices) expect(slice.recordLines).toBe(newlines(slice));
    expect(slices.reduce((n, c) => n + (c.recordLines ?? 0), 0)).toBe(3000);
    const smaller = [...rechunk(slices[0]!, 3000)];
    expect(smaller.length).toBeGreaterThan(2);
    let line = slices[0]!.firstLine;
    for (const slice of smaller) {
      expect(slice.firstLine).toBe(line);
      expect(slice.recordLines).toBe(newlines(slice));
      line += slice.recordLines!;
    }
  });

  it.each([
    ['a blank line', '\n', 200],
    ['a one-line trail document', '{"Records":[{"eventID":"d"}]}\n', 200],
    ['a one-line document spaced as Python writes it', '{  "Records" :  [{"eventID": "d"}]}\n', 200],
    ['a pretty-printed record', '{\n  "eventID": "p"\n}\n', 200],
    ['a line that is not JSON', 'not json\n', 200],
    ['a last line without its newline', '{"eventID":"last"}', 0],
  ])('reads the slice holding %s line by line', async (_what, odd, after) => {
    const line = (i: number) => `{"eventID":"${i}","errorCode":"AccessDenied"}\n`;
    const head = Array.from({ length: 200 }, (_, i) => line(i)).join('');
    const text = head + odd + Array.from({ length: after }, (_, i) => line(i + 200)).join('');
    const slices = await slicesOf(text, 2_000);
    const at = head.length;
    let offset = 0;
    let holder: TextChunk | undefined;
    for (const slice of slices) {
      if (offset <= at && at < offset + slice.bytes.length) holder = slice;
      offset += slice.bytes.length;
    }
    expect(offset).toBe(Buffer.byteLength(text));
    expect(holder!.recordLines).toBeUndefined();
    expect(slices.filter((c) => c.recordLines !== undefined).length).toBeGreaterThan(2);
  });
});
