/**
 * S3 objects as named byte sources for the local reading pipeline: `{ name: 's3://bucket/key', size,
 * open() }`. GETs run ahead of the scan, in parallel under one p-limit bound, so the scan never waits
 * on a round trip; each prefetched object is held whole (trail files are small gzips: the scan
 * inflates each one whole anyway), at most `ahead` of them and AHEAD_BYTES at once. Objects above `WHOLE_OBJECT_BYTES`
 * are not prefetched but streamed when the scan reaches them, in the pipeline's bounded chunks.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { LimitFunction } from 'p-limit';
import { WHOLE_GZIP_BYTES } from '../local/chunks';
import { describeS3Error, type S3Sdk } from './client';
import type { S3Counters } from './counters';
import type { ListedObject } from './listing';
import { s3Url } from './location';

/** Objects up to this size are fetched ahead whole; larger ones are streamed (same bound as local whole-gzip reads). */
export const WHOLE_OBJECT_BYTES = WHOLE_GZIP_BYTES;

/**
 * A body that breaks off mid-way (a reset connection, a stalled socket past the request timeout) is
 * not something the SDK's retry strategy sees: it has already returned the response. The rest is
 * asked for again with a Range request, this many times.
 */
const BODY_RESUMES = 3;

export interface ObjectSource {
  readonly name: string;
  readonly size: number;
  open(): AsyncIterable<Uint8Array>;
}

export interface ObjectFetcher {
  readonly s3: S3Sdk;
  readonly client: S3Client;
  readonly bucket: string;
  readonly counters: S3Counters;
  readonly limit: LimitFunction;
  readonly profile?: string;
  readonly signal?: AbortSignal;
  /** Told of an object that could not be read after the retries (its error also reaches the reader). */
  onFailed(object: ListedObject, message: string): void;
}

/** Bytes of prefetched objects held at most, whatever `ahead` says: data-event trails can have files of many MB. */
export const AHEAD_BYTES = 64 << 20;

/**
 * The objects as byte sources, in listing order, with up to `ahead` objects (and AHEAD_BYTES) fetched
 * before the scan needs them.
 */
export async function* prefetchObjects(objects: AsyncIterable<ListedObject>, fetcher: ObjectFetcher, ahead: number): AsyncGenerator<ObjectSource> {
  const queue: { object: ListedObject; whole: Promise<Buffer> | null }[] = [];
  let queuedBytes = 0;
  const next = () => {
    const entry = queue.shift()!;
    if (entry.whole !== null) queuedBytes -= entry.object.size;
    return sourceOf(entry, fetcher);
  };
  const started = (object: ListedObject) => {
    if (object.size > WHOLE_OBJECT_BYTES) return { object, whole: null };
    const whole = fetcher.limit(() => collect(objectBytes(object, fetcher)));
    whole.catch(() => undefined); // awaited by open(); a source the scan never opens (aborted) must not be an unhandled rejection
    return { object, whole };
  };
  try {
    for await (const object of objects) {
      fetcher.counters.objects++;
      const entry = started(object);
      queue.push(entry);
      if (entry.whole !== null) queuedBytes += object.size;
      while (queue.length > ahead || (queue.length > 1 && queuedBytes > AHEAD_BYTES)) yield next();
    }
    while (queue.length > 0) yield next();
  } finally {
    fetcher.limit.clearQueue();
  }
}

function sourceOf(entry: { object: ListedObject; whole: Promise<Buffer> | null }, fetcher: ObjectFetcher): ObjectSource {
  const { object, whole } = entry;
  return {
    name: s3Url(fetcher.bucket, object.key),
    size: object.size,
    open: whole === null ? () => objectBytes(object, fetcher) : () => once(whole),
  };
}

async function* once(bytes: Promise<Buffer>): AsyncGenerator<Uint8Array> {
  yield await bytes;
}

async function collect(pieces: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const piece of pieces) parts.push(piece);
  return Buffer.concat(parts);
}

/** The object's bytes as they arrive; a body broken off is resumed from where it stopped. Errors are one line naming nothing but what went wrong. */
async function* objectBytes(object: ListedObject, fetcher: ObjectFetcher): AsyncGenerator<Uint8Array> {
  const { s3, client, bucket, counters } = fetcher;
  let received = 0;
  let resumes = 0;
  for (;;) {
    let body: AsyncIterable<Uint8Array>;
    try {
      const range = received > 0 ? { Range: `bytes=${received}-` } : {};
      const answer = await client.send(new s3.GetObjectCommand({ Bucket: bucket, Key: object.key, ...range }), fetcher.signal ? { abortSignal: fetcher.signal } : {});
      body = answer.Body as AsyncIterable<Uint8Array>;
    } catch (error) {
      throw failure(object, fetcher, error);
    }
    try {
      for await (const piece of body) {
        received += piece.length;
        counters.bytesRead += piece.length;
        yield piece;
      }
      return;
    } catch (error) {
      if (++resumes > BODY_RESUMES || fetcher.signal?.aborted) throw failure(object, fetcher, error);
    }
  }
}

function failure(object: ListedObject, fetcher: ObjectFetcher, error: unknown): Error {
  const where = s3Url(fetcher.bucket, object.key);
  const message = describeS3Error(error, fetcher.profile, where).replace(`${where}: `, '');
  fetcher.counters.failedObjects++;
  fetcher.onFailed(object, message);
  return new Error(message);
}
