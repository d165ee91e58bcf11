/**
 * Inflates a whole-gzip chunk into the text it holds. The synchronous inflate is the fast path;
 * when it fails, the file is walked member by member (RFC 1952) to keep everything `gzip -dc`
 * recovers — every member before the fault, the part of a truncated member that inflates — and
 * the fault is reported as what it is: a truncated file, a checksum mismatch, junk after the data.
 * (zlib's own stream throws away the output of the write in which it meets junk after a member.)
 */
import { constants, crc32, createGunzip, gunzipSync, inflateRawSync } from 'node:zlib';
import type { Loss } from '../source-item';
import { countNewlines, type Chunk, type PlainChunk } from './chunks';
import { describeGzipError, isGzip } from './file-facts';
import { isLogText, withoutLogPrefixes } from './log-text';

export async function inflateChunk(chunk: Chunk): Promise<PlainChunk[]> {
  if (chunk.format !== 'gzip') return [chunk];
  const compressed = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength);
  try {
    return [{ format: 'text', source: chunk.source, firstLine: 1, bytes: logTextRead(gunzipSync(compressed, { chunkSize: outputSizeHint(compressed) })) }];
  } catch (error) {
    const { data: inflated, fault } = await inflateMembers(compressed, error);
    const data = logTextRead(inflated);
    const chunks: PlainChunk[] = data.length > 0 ? [{ format: 'text', source: chunk.source, firstLine: 1, bytes: data }] : [];
    chunks.push({ format: 'unreadable', source: chunk.source, line: countNewlines(data) + 1, ...fault });
    return chunks;
  }
}

/** The smallest output buffer asked for: zlib's own default piece, so a hint is never worse than none. */
const MIN_HINT = 16 * 1024;
/** Deflate's best case is about 1032:1, so a trailer claiming more than that is not believed. */
const MAX_RATIO = 1032;

/**
 * The output buffer size for inflating this gzip in one piece. The synchronous inflate otherwise
 * fills 16 KiB pieces and copies them all into one buffer at the end (a third of a trail file's
 * inflate time). The trailer's ISIZE (RFC 1952 §2.3.1: the last member's size mod 2^32) is exact
 * for a one-member file; for anything else it is only a hint, and a wrong one only costs the copy.
 */
function outputSizeHint(compressed: Buffer): number {
  if (compressed.length < 18) return MIN_HINT;
  const isize = compressed.readUInt32LE(compressed.length - 4);
  // One byte more than the data, so zlib sees room left and stops without allocating another piece.
  return Math.max(MIN_HINT, Math.min(isize + 1, compressed.length * MAX_RATIO));
}

/** CloudWatch Logs text (log-text.ts) with its lines' prefixes taken off; other text as it is. */
function logTextRead(text: Buffer): Buffer {
  return isLogText(text) ? withoutLogPrefixes(text) : text;
}

interface Fault {
  readonly message: string;
  readonly loss: Loss;
}

/** Every member's data up to the first fault, and that fault. */
async function inflateMembers(compressed: Buffer, wholeError: unknown): Promise<{ data: Buffer; fault: Fault }> {
  const pieces: Buffer[] = [];
  let fault: Fault | null = null;
  let at = 0;
  while (at < compressed.length && fault === null) {
    const member = compressed.subarray(at);
    if (!isGzip(member)) {
      fault = at > 0 ? describeGzipError(new Error('incorrect header check'), 1) : describeGzipError(wholeError, 0);
      break;
    }
    const body = headerLength(member);
    if (body === null) {
      fault = describeGzipError(new Error('unexpected end of file'), 0);
      break;
    }
    let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      // A sync flush at the end returns what a truncated member holds instead of throwing.
      inflated = inflateRawSync(member.subarray(body), { info: true, finishFlush: constants.Z_SYNC_FLUSH }) as unknown as typeof inflated;
    } catch (error) {
      // Damage inside the deflate data: keep what a stream inflates before it.
      pieces.push(await inflateUntilDamage(member));
      fault = describeGzipError(error, 0);
      break;
    }
    pieces.push(inflated.buffer);
    const trailer = body + inflated.engine.bytesWritten;
    if (trailer + 8 > member.length) {
      fault = describeGzipError(new Error('unexpected end of file'), 1);
      break;
    }
    const crc = member.readUInt32LE(trailer);
    const size = member.readUInt32LE(trailer + 4);
    if (crc !== crc32(inflated.buffer) || size !== inflated.buffer.length % 2 ** 32) fault = describeGzipError(new Error('incorrect data check'), 1);
    at += trailer + 8;
  }
  return { data: Buffer.concat(pieces), fault: fault ?? describeGzipError(wholeError, 1) };
}

/** Bytes of a gzip member's header (RFC 1952 §2.3), or null when the input ends inside it. */
function headerLength(member: Buffer): number | null {
  if (member.length < 10) return null;
  const flags = member[3]!;
  let at = 10;
  if (flags & 0x04) {
    if (at + 2 > member.length) return null;
    at += 2 + member.readUInt16LE(at); // FEXTRA
  }
  for (const flag of [0x08, 0x10]) {
    if (!(flags & flag)) continue; // FNAME, FCOMMENT: zero-terminated
    const end = member.indexOf(0, at);
    if (end < 0) return null;
    at = end + 1;
  }
  if (flags & 0x02) at += 2; // FHCRC
  return at <= member.length ? at : null;
}

/** Everything a streaming inflate produces before it fails. */
function inflateUntilDamage(compressed: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const pieces: Buffer[] = [];
    const gunzip = createGunzip();
    gunzip.on('data', (piece: Buffer) => pieces.push(piece));
    gunzip.on('error', () => resolve(Buffer.concat(pieces)));
    gunzip.on('end', () => resolve(Buffer.concat(pieces)));
    // Small writes, so output before the damage is not discarded with the write that meets it.
    for (let at = 0; at < compressed.length; at += 4096) gunzip.write(compressed.subarray(at, at + 4096));
    gunzip.end();
  });
}
