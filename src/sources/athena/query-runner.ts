/**
 * One Athena query, start to last row: StartQueryExecution, GetQueryExecution polled with backoff
 * until the query ends, GetQueryResults a page of 1,000 rows at a time (the API's maximum,
 * GetQueryResults "MaxResults … Valid Range: Maximum value of 1000"). A query that fails or is
 * cancelled comes back with Athena's reason; Ctrl-C (the signal) stops the query on Athena's side
 * with StopQueryExecution so it does not keep scanning, and billing, after ctq has gone.
 *
 * `--max-scan-gb` is enforced by ctq: GetQueryExecution reports DataScannedInBytes while the query
 * runs, and a query past the cutoff is stopped (a workgroup's BytesScannedCutoffPerQuery is the
 * server-side equivalent, but it is set per workgroup, not per query). Scanning can overshoot by what
 * Athena reads between two polls.
 *
 * Throttles (TooManyRequestsException, ThrottlingException) are retried here with backoff as well as
 * by the SDK's retry strategy, so a burst of them delays a query and never fails it outright.
 */
import type { AthenaClient } from '@aws-sdk/client-athena';
import { abortableSleep } from '../abortable-sleep';
import { classifyApiError, isThrottle } from '../cloudtrail-api/errors';

export type AthenaSdk = typeof import('@aws-sdk/client-athena');

/** Where the query runs and writes its result: the AWS CLI's `--work-group`, `--query-execution-context`, `--result-configuration`. */
export interface QueryPlacement {
  readonly workGroup?: string;
  readonly database?: string;
  readonly catalog?: string;
  readonly outputLocation?: string;
}

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Polls start fast (most ctq queries are small) and slow down to one every 5 s. */
export const POLL_BACKOFF: Backoff = { initialMs: 200, maxMs: 5_000 };
export const THROTTLE_BACKOFF: Backoff = { initialMs: 500, maxMs: 20_000 };
const THROTTLE_RETRIES = 8;
export const RESULT_PAGE_ROWS = 1000;
/** A gigabyte as AWS bills it (2^30 bytes). */
export const GB = 2 ** 30;

export interface RunQueryOptions {
  readonly sdk: AthenaSdk;
  readonly client: AthenaClient;
  readonly sql: string;
  readonly placement: QueryPlacement;
  /** Stop the query once it has scanned more than this; null = no cutoff. */
  readonly maxScanBytes: number | null;
  readonly signal: AbortSignal;
  /** Waits between polls and retries; tests pass one that records the delays. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly pollBackoff?: Backoff;
  readonly throttleBackoff?: Backoff;
  /** Each API call made (for --stats), and each throttle met. */
  onCall?(operation: string): void;
  onThrottle?(operation: string): void;
}

export type QueryRun =
  | { readonly ok: true; readonly queryId: string; readonly bytesScanned: number; readonly rows: AsyncIterable<readonly (string | null)[]> }
  | {
      readonly ok: false;
      readonly queryId: string | null;
      readonly bytesScanned: number;
      /** FAILED/CANCELLED by Athena, stopped for --max-scan-gb, interrupted, or an API error. */
      readonly reason: 'failed' | 'cancelled' | 'scan-limit' | 'interrupted' | 'error';
      readonly message: string;
    };

export async function runQuery(options: RunQueryOptions): Promise<QueryRun> {
  const { sdk, client, signal } = options;
  const sleep = options.sleep ?? abortableSleep;
  const call = async <T>(operation: string, send: () => Promise<T>): Promise<T> => {
    const backoff = options.throttleBackoff ?? THROTTLE_BACKOFF;
    for (let attempt = 0; ; attempt++) {
      options.onCall?.(operation);
      try {
        return await send();
      } catch (error) {
        if (!isThrottle(error) || attempt >= THROTTLE_RETRIES || signal.aborted) throw error;
        options.onThrottle?.(operation);
        await sleep(delay(backoff, attempt), signal);
      }
    }
  };

  let queryId: string | null = null;
  let bytesScanned = 0;
  const failure = (reason: Extract<QueryRun, { ok: false }>['reason'], message: string): QueryRun => ({ ok: false, queryId, bytesScanned, reason, message });
  const stop = async (): Promise<void> => {
    if (queryId === null) return;
    const id = queryId;
    // Best effort: the query is being abandoned either way, and Ctrl-C must not hang on it.
    await call('StopQueryExecution', () => client.send(new sdk.StopQueryExecutionCommand({ QueryExecutionId: id }))).catch(() => undefined);
  };

  try {
    const { placement } = options;
    const started = await call('StartQueryExecution', () =>
      client.send(
        new sdk.StartQueryExecutionCommand({
          QueryString: options.sql,
          ...(placement.workGroup !== undefined ? { WorkGroup: placement.workGroup } : {}),
          ...(placement.database !== undefined || placement.catalog !== undefined
            ? { QueryExecutionContext: { Database: placement.database, Catalog: placement.catalog } }
            : {}),
          ...(placement.outputLocation !== undefined ? { ResultConfiguration: { OutputLocation: placement.outputLocation } } : {}),
        }),
        { abortSignal: signal },
      ),
    );
    queryId = started.QueryExecutionId ?? null;
    if (queryId === null) return failure('error', 'StartQueryExecution returned no QueryExecutionId');
    const id = queryId;

    const poll = options.pollBackoff ?? POLL_BACKOFF;
    for (let attempt = 0; ; attempt++) {
      if (signal.aborted) {
        await stop();
        return failure('interrupted', `interrupted: stopped Athena query ${id}`);
      }
      const execution = (await call('GetQueryExecution', () => client.send(new sdk.GetQueryExecutionCommand({ QueryExecutionId: id })))).QueryExecution;
      bytesScanned = execution?.Statistics?.DataScannedInBytes ?? bytesScanned;
      const state = execution?.Status?.State;
      const reason = execution?.Status?.AthenaError?.ErrorMessage ?? execution?.Status?.StateChangeReason ?? 'no reason given';
      if (state === 'SUCCEEDED') return { ok: true, queryId: id, bytesScanned, rows: resultRows(options, id, call) };
      if (state === 'FAILED') return failure('failed', `Athena query ${id} failed: ${reason}`);
      if (state === 'CANCELLED') return failure('cancelled', `Athena query ${id} was cancelled: ${reason}`);
      if (options.maxScanBytes !== null && bytesScanned > options.maxScanBytes) {
        await stop();
        return failure('scan-limit', `Athena query ${id} stopped: it had scanned ${formatGb(bytesScanned)} GB, more than --max-scan-gb ${formatGb(options.maxScanBytes)}`);
      }
      await sleep(delay(poll, attempt), signal);
    }
  } catch (error) {
    if (signal.aborted) {
      await stop();
      return failure('interrupted', queryId === null ? 'interrupted' : `interrupted: stopped Athena query ${queryId}`);
    }
    // No credentials, or expired ones: the same one line as for LookupEvents.
    const problem = classifyApiError(error);
    return failure('error', problem.kind === 'credentials' ? problem.message : `Athena: ${errorText(error)}`);
  }
}

/** The rows after the header row, page by page. */
async function* resultRows(
  options: RunQueryOptions,
  queryId: string,
  call: <T>(operation: string, send: () => Promise<T>) => Promise<T>,
): AsyncGenerator<readonly (string | null)[]> {
  const { sdk, client } = options;
  let nextToken: string | undefined;
  let first = true;
  do {
    const token = nextToken;
    const page = await call('GetQueryResults', () =>
      client.send(new sdk.GetQueryResultsCommand({ QueryExecutionId: queryId, MaxResults: RESULT_PAGE_ROWS, ...(token ? { NextToken: token } : {}) })),
    );
    const rows = page.ResultSet?.Rows ?? [];
    // "The first row of the result set contains the column headers" for a SELECT (GetQueryResults).
    for (const [index, row] of rows.entries()) {
      if (first && index === 0) continue;
      yield (row.Data ?? []).map((datum) => datum.VarCharValue ?? null);
    }
    first = false;
    nextToken = page.NextToken;
  } while (nextToken !== undefined && !options.signal.aborted);
}

function delay(backoff: Backoff, attempt: number): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
}

function formatGb(bytes: number): string {
  return (bytes / GB).toFixed(bytes < GB / 10 ? 3 : 1);
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
