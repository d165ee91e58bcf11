/**
 * Inflates a whole-gzip chunk into the text it holds. The synchronous inflate is the fast path; a
 * damaged gzip (truncated, a bad checksum, junk after the data) is inflated again as a stream to
 * keep every byte before the fault — what `gzip -dc` recovers — and the fault is reported as what
 * it is. Multi-member files (`cat a.gz b.gz`) inflate whole either way.
 */
import { createGunzip, gunzipSync } from 'node:zlib';
import { countNewlines, type Chunk, type PlainChunk } from './chunks';
import { describeGzipError } from './file-facts';

export async function inflateChunk(chunk: Chunk): Promise<PlainChunk[]> {
  if (chunk.format !== 'gzip') return [chunk];
  const compressed = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength);
  try {
    return [{ format: 'text', source: chunk.source, firstLine: 1, bytes: gunzipSync(compressed) }];
  } catch (error) {
    const partial = await inflateUntilDamage(compressed);
    const chunks: PlainChunk[] = partial.length > 0 ? [{ format: 'text', source: chunk.source, firstLine: 1, bytes: partial }] : [];
    chunks.push({ format: 'unreadable', source: chunk.source, line: countNewlines(partial) + 1, ...describeGzipError(error, partial.length) });
    return chunks;
  }
}

/** Everything a streaming inflate produces before it fails. */
function inflateUntilDamage(compressed: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const pieces: Buffer[] = [];
    const gunzip = createGunzip();
    gunzip.on('data', (piece: Buffer) => pieces.push(piece));
    gunzip.on('error', () => resolve(Buffer.concat(pieces)));
    gunzip.on('end', () => resolve(Buffer.concat(pieces)));
    gunzip.end(compressed);
  });
}
