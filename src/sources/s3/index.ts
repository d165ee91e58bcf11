/**
 * `--input s3://BUCKET[/PREFIX]`: CloudTrail's bucket read in place. Each input finds its bucket's
 * region, plans its listings from the key layout and the window (`scopes.ts`), lists them
 * (`listing.ts`) and hands the objects to the local reading pipeline as named byte sources
 * (`objects.ts`), so they are decoded, pre-filtered, parsed and tested exactly as files on disk.
 */
import type { LimitFunction } from 'p-limit';
import type { Discovery, ExternalInput, ReadOrder } from '../local/discover';
import { mergeInTimeOrder } from '../time-merge';
import { deliveryTimeOf } from '../trail-file-name';
import { BucketClient } from './bucket-client';
import { askingRegion, describeS3Error, loadS3Sdk, type S3Connection } from './client';
import type { S3Counters } from './counters';
import { BucketLister, type ListedObject } from './listing';
import { parseS3Url, s3Url } from './location';
import { prefetchObjects } from './objects';
import type { S3ReadPlanner } from './read-planner';
import { planScopes, type ListingScope, type ScopeFilters } from './scopes';

export { isS3Url, parseS3Url, s3Url, type S3Location } from './location';
export { emptyS3Counters, type S3Counters } from './counters';
export { s3EndpointFrom, type S3Connection } from './client';
export type { S3ReadPlanner, ObjectStamp } from './read-planner';
export { DELIVERY_MARGIN_MS } from './layout';

export interface S3InputOptions {
  readonly connection: S3Connection;
  readonly filters: Omit<ScopeFilters, 'continueFromMs'>;
  readonly counters: S3Counters;
  /** The bound on GETs in flight, shared by every S3 input of the run. */
  readonly limit: LimitFunction;
  /** Objects fetched ahead of the scan. */
  readonly ahead: number;
  readonly planner?: S3ReadPlanner;
  readonly signal?: AbortSignal;
  /** Keys per listing page (tests lower it). */
  readonly pageSize?: number;
  /** Keys per listing page when listings are merged in delivery order (`DELIVERY_ORDER_PAGE_SIZE`; tests lower it). */
  readonly deliveryPageSize?: number;
  onNote(message: string): void;
  /** An object that could not be read after retries: the run fails at the end. */
  onFailed(name: string, message: string): void;
}

/** What `--explain` shows of one listing: the folder, its date range, and what it holds. */
export interface ListingSummary {
  readonly url: string;
  readonly range: string;
  readonly objects: number;
  readonly bytes: number;
}

/** One `s3://` input as an input of the local scan. `incremental` (pass two of an identity scan, or a plain scan under --state) consults the planner. */
export function s3Input(url: string, options: S3InputOptions): ExternalInput {
  return {
    name: url,
    discover: ({ incremental, order }) => discoverObjects(url, options, incremental, order),
  };
}

/**
 * Keys a page when the listings are merged in delivery order: a region-day holds ~288 trail files (one per
 * 5 minutes), so a day is a few pages, and 500 listings hold ~50,000 keys between them rather than 500,000.
 */
const DELIVERY_ORDER_PAGE_SIZE = 100;

async function* discoverObjects(url: string, options: S3InputOptions, incremental: boolean, order: ReadOrder): AsyncGenerator<Discovery> {
  const opened = await openBucket(url, options, incremental);
  if (opened instanceof Error) {
    yield { kind: 'missing', path: url, message: opened.message };
    return;
  }
  const { lister, bucket, scopes, bucketClient, s3 } = opened;
  const planner = incremental ? options.planner : undefined;
  const listingFailures: { where: string; message: string }[] = [];
  /** One listing's objects in key order (for a region folder: its days in order, each day's files by delivery time). */
  async function* listedIn(scope: ListingScope, pageSize?: number): AsyncGenerator<ListedObject> {
    const folder = cursorName(bucket, scope, url);
    try {
      for await (const object of lister.objects(scope, pageSize)) {
        if (planner && !planner.shouldRead(folder, object)) continue;
        planner?.reading(folder, object);
        yield object;
      }
    } catch (error) {
      planner?.failed(folder, null);
      listingFailures.push({ where: folder, message: describeS3Error(error, options.connection.profile, folder) });
    }
  }
  // Path order: one listing after the other. Delivery order (thresholds): the listings are listed side
  // by side, a page at a time each, and merged by the delivery time in the objects' names.
  async function* listed(): AsyncGenerator<ListedObject> {
    if (order === 'delivery') {
      // Every listing holds a page while the merge waits on the others: an organization trail has a listing
      // per account and region (hundreds), so their pages are smaller than a path-order listing's.
      const pageSize = options.deliveryPageSize ?? DELIVERY_ORDER_PAGE_SIZE;
      yield* mergeInTimeOrder(
        scopes.map((scope) => listedIn(scope, pageSize)),
        (object) => deliveryTimeOf(object.key),
      );
      return;
    }
    for (const scope of scopes) {
      yield* listedIn(scope);
      if (options.signal?.aborted) return;
    }
  }
  const folderOf = new Map(scopes.map((scope) => [scope, cursorName(bucket, scope, url)]));
  const fetcher = {
    s3,
    // Read when the first GET starts, after the first listing has settled the bucket's region.
    get client() {
      return bucketClient.client;
    },
    bucket,
    counters: options.counters,
    limit: options.limit,
    ...(options.connection.profile !== undefined ? { profile: options.connection.profile } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onFailed: (object: ListedObject, message: string) => {
      const scope = scopes.find((s) => (s.kind === 'object' ? s.key === object.key : object.key.startsWith(s.prefix)));
      if (planner && scope) planner.failed(folderOf.get(scope)!, object);
      options.onFailed(s3Url(bucket, object.key), message);
    },
  };
  try {
    for await (const source of prefetchObjects(listed(), fetcher, options.ahead)) {
      yield { kind: 'file', file: { kind: 'stream', name: source.name, size: source.size, open: () => source.open() } };
    }
  } finally {
    bucketClient.destroy();
  }
  for (const failure of listingFailures) yield { kind: 'missing', path: failure.where, message: failure.message.replace(`${failure.where}: `, '') };
}

/** `--explain`: the listings an input needs and what they hold, found by listing (no object is read). */
export async function explainS3Input(url: string, options: S3InputOptions): Promise<{ listings: ListingSummary[]; notes: string[] } | Error> {
  const notes: string[] = [];
  const opened = await openBucket(url, { ...options, onNote: (m) => notes.push(m) }, true);
  if (opened instanceof Error) return opened;
  const { lister, bucket, scopes, bucketClient } = opened;
  const listings: ListingSummary[] = [];
  try {
    for (const scope of scopes) {
      let objects = 0;
      let bytes = 0;
      const folder = cursorName(bucket, scope, url);
      for await (const object of lister.objects(scope)) {
        if (options.planner && !options.planner.shouldRead(folder, object)) continue;
        objects++;
        bytes += object.size;
      }
      const where = scope.kind === 'object' ? s3Url(bucket, scope.key) : s3Url(bucket, scope.prefix);
      const range =
        scope.kind !== 'region' ? 'all' : scope.prefix !== scope.regionFolder ? 'this folder' : `${scope.range.first ?? 'first'} .. ${scope.range.last ?? 'last'}`;
      listings.push({ url: where, range, objects, bytes });
    }
  } catch (error) {
    return new Error(describeS3Error(error, options.connection.profile, url));
  } finally {
    bucketClient.destroy();
  }
  return { listings, notes };
}

async function openBucket(url: string, options: S3InputOptions, incremental: boolean) {
  const location = parseS3Url(url);
  if (location instanceof Error) return location;
  const s3 = await loadS3Sdk();
  const bucketClient = new BucketClient(s3, options.connection, options.counters, await askingRegion(s3, options.connection));
  const lister = new BucketLister(s3, bucketClient, location.bucket, options.counters, options.pageSize);
  const planner = incremental ? options.planner : undefined;
  try {
    const plan = await planScopes(
      location.prefix,
      lister,
      { ...options.filters, continueFromMs: (folder) => planner?.continueFromMs(s3Url(location.bucket, folder)) ?? null },
      (key) => s3Url(location.bucket, key),
    );
    for (const note of plan.notes) options.onNote(note);
    return { s3, bucketClient, lister, bucket: location.bucket, scopes: plan.scopes };
  } catch (error) {
    bucketClient.destroy();
    return new Error(describeS3Error(error, options.connection.profile, url).replace(`${url}: `, ''));
  }
}

/** The --state cursor's name for a listing: its region folder, or the input itself. */
function cursorName(bucket: string, scope: ListingScope, url: string): string {
  return scope.kind === 'region' ? s3Url(bucket, scope.regionFolder) : url;
}
