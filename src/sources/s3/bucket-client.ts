/**
 * The client of one bucket, in the bucket's own region, found without a call of its own. A bucket
 * answers only in its region; asked elsewhere, S3 says where in `x-amz-bucket-region`, on the 301
 * PermanentRedirect a regional endpoint sends and on the 400 AuthorizationHeaderMalformed of a request
 * signed for the wrong region (AmazonS3 API reference, API_HeadBucket.html; user guide,
 * UsingRouting.html). So the first ListObjectsV2 goes to the configured region, and only if S3 names
 * another is it sent again there: one round trip fewer than asking HeadBucket first.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createS3Client, type S3Connection, type S3Sdk } from './client';
import type { S3Counters } from './counters';

export class BucketClient {
  /** Clients replaced by a redirect: requests may still be in flight on them, so they are destroyed only at the end. */
  private readonly replaced: S3Client[] = [];
  private current: S3Client;

  constructor(
    private readonly s3: S3Sdk,
    private readonly connection: S3Connection,
    private readonly counters: S3Counters,
    private region: string,
  ) {
    this.current = createS3Client(s3, connection, region, counters);
  }

  /** The client for the bucket's region, as far as S3 has said so far. */
  get client(): S3Client {
    return this.current;
  }

  /**
   * After `error` from a request sent through `used`: true if the request should be sent again
   * through `client` (S3 named the bucket's region, or another request already learnt it).
   */
  redirected(error: unknown, used: S3Client): boolean {
    if (used !== this.current) return true;
    const region = regionOfRedirect(error);
    if (region === null || region === this.region) return false;
    this.region = region;
    this.replaced.push(this.current);
    this.current = createS3Client(this.s3, this.connection, region, this.counters);
    return true;
  }

  destroy(): void {
    for (const client of [...this.replaced, this.current]) client.destroy();
  }
}

/** The bucket's region named by an answer from the wrong region; null for any other error. */
export function regionOfRedirect(error: unknown): string | null {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  if (status !== 301 && status !== 400) return null;
  const headers = (error as { $response?: { headers?: Record<string, string | undefined> } } | null)?.$response?.headers;
  const region = headers?.['x-amz-bucket-region'];
  return typeof region === 'string' && region !== '' ? region : null;
}
