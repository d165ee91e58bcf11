/** ListObjectsV2 through the SDK's paginator: folders of one level, and the objects of a scope in key order. */
import type { ListObjectsV2CommandInput, ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { BucketClient } from './bucket-client';
import type { S3Sdk } from './client';
import type { S3Counters } from './counters';
import { dayOfKey } from './layout';
import { isEventObjectKey, type FolderLister, type ListingScope } from './scopes';

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModifiedMs: number;
}

export class BucketLister implements FolderLister {
  constructor(
    private readonly s3: S3Sdk,
    private readonly bucketClient: BucketClient,
    private readonly bucket: string,
    private readonly counters: S3Counters,
    /** Keys per ListObjectsV2 page (S3's maximum is 1000); tests lower it to count pages. */
    private readonly pageSize = 1000,
  ) {}

  async folders(prefix: string): Promise<readonly string[]> {
    const folders: string[] = [];
    const pages = this.pages({ Bucket: this.bucket, Prefix: prefix, Delimiter: '/' }, this.pageSize);
    for await (const page of pages) {
      for (const common of page.CommonPrefixes ?? []) if (common.Prefix !== undefined) folders.push(common.Prefix);
    }
    return folders;
  }

  /**
   * The event objects of a scope, in key order. A region scope starts after the window's first date
   * folder and stops at the first key past its last one: S3 lists keys in UTF-8 binary order
   * (API_ListObjectsV2.html), and `YYYY/MM/DD` sorts as the dates do, so nothing outside the window
   * is listed beyond the last page's overrun.
   */
  async *objects(scope: ListingScope, pageSize = this.pageSize): AsyncGenerator<ListedObject> {
    const prefix = scope.kind === 'object' ? scope.key : scope.prefix;
    const input: ListObjectsV2CommandInput = { Bucket: this.bucket, Prefix: prefix };
    if (scope.kind === 'region' && scope.range.first !== null) {
      // Just before the first day's folder: `…/2026/11/20` sorts before `…/2026/11/20/anything`.
      const start = `${scope.regionFolder}${scope.range.first}`;
      if (start > prefix) input.StartAfter = start;
    }
    const pages = this.pages(input, pageSize);
    for await (const page of pages) {
      this.counters.objectsListed += page.Contents?.length ?? 0;
      for (const item of page.Contents ?? []) {
        const key = item.Key;
        if (key === undefined) continue;
        if (scope.kind === 'object') {
          if (key !== scope.key) continue;
        } else if (scope.kind === 'region') {
          const day = dayOfKey(key, scope.regionFolder);
          if (day === null) continue; // not a date folder: not a trail file
          if (scope.range.last !== null && day > scope.range.last) return;
          if (scope.range.first !== null && day < scope.range.first) continue;
          if (!isEventObjectKey(key)) continue;
        } else if (!isEventObjectKey(key)) {
          continue;
        }
        yield { key, size: item.Size ?? 0, lastModifiedMs: item.LastModified?.getTime() ?? 0 };
      }
    }
  }

  /** The SDK's paginator, started again in the bucket's region if its first page was sent to the wrong one (see bucket-client.ts). */
  private async *pages(input: ListObjectsV2CommandInput, pageSize: number): AsyncGenerator<ListObjectsV2CommandOutput> {
    for (;;) {
      const client = this.bucketClient.client;
      let answered = false;
      try {
        for await (const page of this.s3.paginateListObjectsV2({ client, pageSize }, input)) {
          answered = true;
          yield page;
        }
        return;
      } catch (error) {
        if (answered || !this.bucketClient.redirected(error, client)) throw error;
      }
    }
  }
}
