/**
 * Amazon Athena as a source: run ctq's compiled SQL against the trail table, then read the objects it
 * names. The SDK modules are imported only when an Athena run starts (see `loadAthenaSdks`).
 */
import { loadS3Sdk } from '../s3/client';

export { runQuery, POLL_BACKOFF, THROTTLE_BACKOFF, RESULT_PAGE_ROWS, GB, type QueryRun, type QueryPlacement, type RunQueryOptions, type AthenaSdk, type Backoff } from './query-runner';
export { s3ObjectReader, recordsOfObject, type TrailObjectReader, type ObjectRead } from './object-reader';

export interface AthenaSdks {
  readonly athena: typeof import('@aws-sdk/client-athena');
  readonly s3: typeof import('@aws-sdk/client-s3');
}

/** Both SDK modules, imported on first use (local queries never load them). */
export async function loadAthenaSdks(): Promise<AthenaSdks> {
  // loadS3Sdk() turns off the SDK's Node-version notice for both (see ../cloudtrail-api/client.ts).
  const s3 = await loadS3Sdk();
  return { athena: await import('@aws-sdk/client-athena'), s3 };
}
