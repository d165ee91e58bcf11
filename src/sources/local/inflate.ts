/**
 * Inflates a whole-gzip chunk into the chunks of its content. The synchronous inflate is the fast
 * path; a damaged or truncated gzip is inflated again as a stream to keep every byte before the
 * damage, so the records there are still read and the damage is reported with its place.
 */
import { createGunzip, gunzipSync } from 'node:zlib';
import { chunksOfWhole, countNewlines, detectFormat, type Chunk, type PlainChunk } from './chunks';
import { describeIoError } from './file-facts';

export async function inflateChunk(chunk: Chunk): Promise<PlainChunk[]> {
  if (chunk.format !== 'gzip') return [chunk];
  const compressed = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength);
  try {
    return chunksOfWhole(gunzipSync(compressed), chunk.source);
  } catch (error) {
    const partial = await inflateUntilDamage(compressed);
    const chunks: PlainChunk[] = partial.length > 0 ? chunksOfWhole(partial, chunk.source) : [];
    const ndjson = partial.length > 0 && detectFormat(partial, true) === 'ndjson';
    chunks.push({ format: 'unreadable', source: chunk.source, line: ndjson ? countNewlines(partial) + 1 : 0, message: describeIoError(error) });
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
