/**
 * A whole gzip is inflated in one piece sized from its trailer (ISIZE); the trailer is only a hint,
 * so files where it is wrong or misleading must inflate to exactly their data all the same.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateChunk } from '../../src/sources/local/inflate';

async function inflated(bytes: Uint8Array): Promise<{ text: string; formats: string[] }> {
  const chunks = await inflateChunk({ format: 'gzip', source: 'test.json.gz', bytes });
  const text = chunks.map((c) => (c.format === 'text' ? Buffer.from(c.bytes).toString('utf8') : '')).join('');
  return { text, formats: chunks.map((c) => c.format) };
}

const big = JSON.stringify({ Records: Array.from({ length: 2000 }, (_, i) => ({ eventID: `id-${i}`, eventName: 'GetObject' })) });

describe('inflating a whole gzip sized from its trailer', () => {
  it('gives exactly the data of a one-member file larger than zlib’s default piece', async () => {
    const result = await inflated(gzipSync(big));
    expect(result.formats).toEqual(['text']);
    expect(result.text).toBe(big);
  });

  it('gives every member of a multi-member file whose last member is tiny (the trailer undercounts)', async () => {
    const result = await inflated(Buffer.concat([gzipSync(big), gzipSync('\n')]));
    expect(result.formats).toEqual(['text']);
    expect(result.text).toBe(big + '\n');
  });

  it('keeps the data when a trailer claims far more than its member holds, and reports the length mismatch', async () => {
    // The altered ISIZE fails gzip's length check; the data (both members) stands, as gzip -dc prints it.
    const lying = gzipSync('{"a":1}');
    lying.writeUInt32LE(0xfffffff0, lying.length - 4);
    const result = await inflated(Buffer.concat([gzipSync(big), lying]));
    expect(result.text).toBe(big + '{"a":1}');
    expect(result.formats).toEqual(['text', 'unreadable']);
  });
});
