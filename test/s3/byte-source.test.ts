/** S3 objects enter the local pipeline as named byte sources: whole when small, streamed when large, damage reported by name. */
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { readChunks, WHOLE_GZIP_BYTES, type Chunk } from '../../src/sources/local/chunks';
import { readLocalEvents } from '../../src/scan/read-events';
import { byteSourceOf } from '../../src/sources/local';
import type { InputFile } from '../../src/sources/local/discover';

const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify({ eventID: `e${i}`, eventName: 'GetObject' })).join('\n') + '\n';

function source(bytes: Buffer, size: number, pieces = 7, failAfter: number | null = null): InputFile {
  return {
    kind: 'stream',
    name: 's3://bucket/AWSLogs/x.json.gz',
    size,
    async *open() {
      const step = Math.ceil(bytes.length / pieces);
      for (let at = 0, n = 0; at < bytes.length; at += step, n++) {
        if (failAfter !== null && n === failAfter) throw new Error('socket hang up');
        yield new Uint8Array(bytes.subarray(at, at + step));
      }
    },
  };
}

async function collect(file: InputFile): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  for await (const chunk of readChunks(byteSourceOf(file))) chunks.push(chunk);
  return chunks;
}

describe('named byte sources in the local pipeline', () => {
  test('a small gzipped object is handed over whole, as a small gzipped file is', async () => {
    const chunks = await collect(source(gzipSync(lines), 1000));
    expect(chunks.map((c) => c.format)).toEqual(['gzip']);
    expect(chunks[0]!.source).toBe('s3://bucket/AWSLogs/x.json.gz');
  });

  test('an object above the whole-object size is streamed through gunzip in text chunks', async () => {
    const chunks = await collect(source(gzipSync(lines), WHOLE_GZIP_BYTES + 1));
    expect(chunks.every((c) => c.format === 'text')).toBe(true);
    const text = chunks.map((c) => (c.format === 'text' ? Buffer.from(c.bytes).toString() : '')).join('');
    expect(text).toBe(lines);
  });

  test('bytes that break off are reported as an unreadable part named s3://bucket/key', async () => {
    const items = [];
    for await (const item of readLocalEvents([{ name: 'x', discover: async function* () { yield { kind: 'file' as const, file: source(Buffer.from(lines), 1000, 4, 2) }; } }])) items.push(item);
    const bad = items.filter((i) => i.kind === 'bad');
    // The record the break cut in two is one bad record; the break itself loses the rest of the object.
    expect(bad.map((b) => b.kind === 'bad' && b.origin.source)).toEqual(['s3://bucket/AWSLogs/x.json.gz', 's3://bucket/AWSLogs/x.json.gz']);
    expect(bad.at(-1)).toMatchObject({ kind: 'bad', message: 'socket hang up', loss: 'rest' });
    const events = items.filter((i) => i.kind === 'event');
    expect(events.length).toBe(25);
  });
});
