/**
 * Reading the trail objects Athena named. The fetch step sits behind `TrailObjectReader` so the S3
 * reader of the S3-input work (branch wip/s3, src/sources/s3/) can take its place.
 *
 * LEAD: `s3ObjectReader` below is a minimal adapter of ctq's own (GetObject, then the local record
 * parser: gzip, trail documents, NDJSON, damaged files salvaged). When src/sources/s3/ lands, replace
 * its body with a call to that reader; nothing else depends on how an object is fetched.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { chunksOfWhole, type PlainChunk } from '../local/chunks';
import { isGzip } from '../local/file-facts';
import { inflateChunk } from '../local/inflate';
import { visitChunk } from '../local/records';
import type { SourceItem } from '../source-item';

export interface TrailObjectReader {
  /**
   * Every record of the object at `s3://bucket/key`, damaged parts as `bad` items naming the object;
   * an object that cannot be fetched at all is an error (its named events would be lost).
   */
  read(uri: string, signal: AbortSignal): Promise<ObjectRead>;
}

export type ObjectRead = { readonly ok: true; readonly items: readonly SourceItem[] } | { readonly ok: false; readonly message: string };

export type S3Sdk = typeof import('@aws-sdk/client-s3');

export function parseS3Uri(uri: string): { readonly bucket: string; readonly key: string } | null {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return match === null ? null : { bucket: match[1]!, key: match[2]! };
}

export function s3ObjectReader(sdk: S3Sdk, client: S3Client): TrailObjectReader {
  return {
    async read(uri, signal) {
      const location = parseS3Uri(uri);
      if (location === null) return { ok: false, message: `${uri}: not an s3:// object address` };
      try {
        const response = await client.send(new sdk.GetObjectCommand({ Bucket: location.bucket, Key: location.key }), { abortSignal: signal });
        const bytes = response.Body === undefined ? new Uint8Array() : await response.Body.transformToByteArray();
        return { ok: true, items: await recordsOfObject(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), uri) };
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, message: `${uri}: cannot read the object: ${name}: ${message}` };
      }
    },
  };
}

/** The records of an object's bytes, gzipped or not, as the local reader would read a file. */
export async function recordsOfObject(bytes: Buffer, source: string): Promise<SourceItem[]> {
  const chunks: PlainChunk[] = isGzip(bytes) ? await inflateChunk({ format: 'gzip', source, bytes }) : chunksOfWhole(bytes, source);
  const items: SourceItem[] = [];
  for (const chunk of chunks) {
    visitChunk(chunk, {
      literal: null,
      event: (event, text, origin) => items.push({ kind: 'event', event, text, origin }),
      ruledOut: () => {},
      bad: (origin, message) => items.push({ kind: 'bad', origin, message }),
    });
  }
  return items;
}
