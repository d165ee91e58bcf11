/**
 * Amazon Athena as a source: run ctq's compiled SQL against the trail table, then read the objects it
 * names. The SDK modules are imported only when an Athena run starts (see `loadAthenaSdks`).
 */
export { runQuery, POLL_BACKOFF, THROTTLE_BACKOFF, RESULT_PAGE_ROWS, GB, type QueryRun, type QueryPlacement, type RunQueryOptions, type AthenaSdk, type Backoff } from './query-runner';
export { s3ObjectReader, recordsOfObject, parseS3Uri, type TrailObjectReader, type ObjectRead, type S3Sdk } from './object-reader';

export interface AthenaSdks {
  readonly athena: typeof import('@aws-sdk/client-athena');
  readonly s3: typeof import('@aws-sdk/client-s3');
}

/** Both SDK modules, imported on first use (local queries never load them). */
export async function loadAthenaSdks(): Promise<AthenaSdks> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const [athena, s3] = await Promise.all([import('@aws-sdk/client-athena'), import('@aws-sdk/client-s3')]);
  return { athena, s3 };
}
