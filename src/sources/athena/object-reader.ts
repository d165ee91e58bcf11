/**
 * Reading the trail objects Athena named, through the S3 reader of `--input s3://` (src/sources/s3):
 * each bucket's region discovered once, the client it makes (endpoint, path style, counted attempts),
 * and its GET with a body broken off mid-way resumed by Range. The bytes then go through the local
 * record parser (gzip, trail documents, NDJSON; a damaged file salvaged record by record), as a file
 * on disk would.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { readChunks } from '../local/chunks';
import { inflateChunk } from '../local/inflate';
import { visitChunk } from '../local/records';
import { createS3Client, discoverBucketRegion, type S3Connection, type S3Sdk } from '../s3/client';
import type { S3Counters } from '../s3/counters';
import type { ListedObject } from '../s3/listing';
import { parseS3Url } from '../s3/location';
import { prefetchObjects } from '../s3/objects';
import type { SourceItem } from '../source-item';

export interface TrailObjectReader {
  /**
   * Every record of the object at `s3://bucket/key`, damaged parts as `bad` items naming the object;
   * an object that cannot be fetched at all is an error (its named events would be lost).
   */
  read(uri: string, signal: AbortSignal): Promise<ObjectRead>;
}

export type ObjectRead = { readonly ok: true; readonly items: readonly SourceItem[] } | { readonly ok: false; readonly message: string };

type BucketClient = { readonly ok: true; readonly client: S3Client } | { readonly ok: false; readonly message: string };

export function s3ObjectReader(s3: S3Sdk, connection: S3Connection, counters: S3Counters): TrailObjectReader {
  const clients = new Map<string, Promise<BucketClient>>();
  const clientFor = (bucket: string): Promise<BucketClient> => {
    let client = clients.get(bucket);
    if (client === undefined) {
      client = discoverBucketRegion(s3, connection, bucket, counters).then((region) =>
        region.ok ? { ok: true, client: createS3Client(s3, connection, region.region, counters) } : region,
      );
      clients.set(bucket, client);
    }
    return client;
  };
  return {
    async read(uri, signal) {
      const location = parseS3Url(uri);
      if (location instanceof Error || location.prefix === '') return { ok: false, message: `${uri}: not an s3:// object address` };
      const bucket = await clientFor(location.bucket);
      if (!bucket.ok) return { ok: false, message: bucket.message };
      let failure: string | null = null;
      const fetcher = {
        s3,
        client: bucket.client,
        bucket: location.bucket,
        counters,
        // One GET per read: the caller bounds how many objects are read at once.
        limit: pLimit(1),
        signal,
        ...(connection.profile !== undefined ? { profile: connection.profile } : {}),
        onFailed: (_object: ListedObject, message: string) => void (failure = message),
      };
      // Size unknown (Athena names the object, not its size): 0 has it fetched whole, as trail files are small.
      const object: ListedObject = { key: location.prefix, size: 0, lastModifiedMs: 0 };
      try {
        for await (const source of prefetchObjects(once(object), fetcher, 1)) {
          const parts: Uint8Array[] = [];
          for await (const part of source.open()) parts.push(part);
          return { ok: true, items: await recordsOfObject(Buffer.concat(parts), uri) };
        }
        return { ok: false, message: `${uri}: not read` };
      } catch (error) {
        return { ok: false, message: `${uri}: cannot read the object: ${failure ?? (error instanceof Error ? error.message : String(error))}` };
      }
    },
  };
}

async function* once<T>(value: T): AsyncGenerator<T> {
  yield value;
}

/** The records of an object's bytes, read as the local reader reads any named byte source (gzip, any sequence of JSON values, damage). */
export async function recordsOfObject(bytes: Buffer, source: string): Promise<SourceItem[]> {
  const input = {
    name: source,
    size: bytes.length,
    async *open() {
      yield bytes;
    },
  };
  const items: SourceItem[] = [];
  for await (const packed of readChunks(input)) {
    for (const chunk of await inflateChunk(packed)) {
      visitChunk(chunk, {
        literal: null,
        event: (event, text, origin) => items.push({ kind: 'event', event, text, origin }),
        ruledOut: () => {},
        bad: (origin, message, loss) => items.push({ kind: 'bad', origin, message, loss }),
      });
    }
  }
  return items;
}
