/**
 * The Athena API loop under aws-sdk-client-mock (the real SDK client, its `send` answered by the
 * mock): paging, FAILED/CANCELLED with Athena's reason, throttling, polling backoff, Ctrl-C stopping
 * the query, the scan cutoff, and the placement flags reaching StartQueryExecution.
 */
import * as athena from '@aws-sdk/client-athena';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  TooManyRequestsException,
  type GetQueryExecutionCommandOutput,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import { runQuery, type QueryRun, type RunQueryOptions } from '../../src/sources/athena';

const mock = mockClient(AthenaClient);
const client = new AthenaClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

function state(State: string, bytes = 0, extra: Record<string, unknown> = {}): GetQueryExecutionCommandOutput {
  return { $metadata: {}, QueryExecution: { QueryExecutionId: 'q-1', Status: { State, ...extra } as never, Statistics: { DataScannedInBytes: bytes } } } as never;
}

function page(rows: string[][], nextToken?: string, header = false) {
  const all = header ? [['$path', 'eventid'], ...rows] : rows;
  return { ResultSet: { Rows: all.map((r) => ({ Data: r.map((v) => ({ VarCharValue: v })) })) }, ...(nextToken ? { NextToken: nextToken } : {}) };
}

function options(overrides: Partial<RunQueryOptions> & { delays?: number[] } = {}): RunQueryOptions {
  const delays = overrides.delays ?? [];
  return {
    sdk: athena,
    client,
    sql: 'SELECT DISTINCT "$path", eventid FROM t',
    placement: {},
    maxScanBytes: null,
    signal: new AbortController().signal,
    sleep: async (ms) => void delays.push(ms),
    ...overrides,
  };
}

async function collect(run: QueryRun): Promise<(string | null)[][]> {
  if (!run.ok) throw new Error(run.message);
  const rows: (string | null)[][] = [];
  for await (const row of run.rows) rows.push([...row]);
  return rows;
}

beforeEach(() => {
  mock.reset();
  mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
});

describe('the Athena query loop', () => {
  test('pages GetQueryResults 1,000 rows at a time and drops only the header row', async () => {
    const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => [`s3://b/k${from + i}`, `e${from + i}`]);
    mock.on(GetQueryExecutionCommand).resolves(state('SUCCEEDED', 5_000));
    mock
      .on(GetQueryResultsCommand)
      .resolvesOnce(page(rows(0, 999), 't1', true))
      .resolvesOnce(page(rows(999, 1000), 't2'))
      .resolvesOnce(page(rows(1999, 3)));
    const run = await runQuery(options());
    const got = await collect(run);
    expect(got).toHaveLength(2002);
    expect(got[0]).toEqual(['s3://b/k0', 'e0']);
    expect(got.at(-1)).toEqual(['s3://b/k2001', 'e2001']);
    const calls = mock.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { QueryExecutionId: 'q-1', MaxResults: 1000 },
      { QueryExecutionId: 'q-1', MaxResults: 1000, NextToken: 't1' },
      { QueryExecutionId: 'q-1', MaxResults: 1000, NextToken: 't2' },
    ]);
    expect(run.bytesScanned).toBe(5_000);
  });

  test('FAILED is reported with Athena\'s reason', async () => {
    mock.on(GetQueryExecutionCommand).resolves(
      state('FAILED', 10, { StateChangeReason: 'generic', AthenaError: { ErrorMessage: "TABLE_NOT_FOUND: line 2:6: Table 'awsdatacatalog.cloudtrail.nope' does not exist" } }),
    );
    const run = await runQuery(options());
    expect(run).toMatchObject({ ok: false, reason: 'failed', queryId: 'q-1' });
    expect(!run.ok && run.message).toContain("TABLE_NOT_FOUND: line 2:6: Table 'awsdatacatalog.cloudtrail.nope' does not exist");
  });

  test('CANCELLED is reported with its reason', async () => {
    mock.on(GetQueryExecutionCommand).resolves(state('CANCELLED', 0, { StateChangeReason: 'Query cancelled by user' }));
    const run = await runQuery(options());
    expect(run).toMatchObject({ ok: false, reason: 'cancelled' });
    expect(!run.ok && run.message).toContain('Query cancelled by user');
  });

  test('polls with exponential backoff until the query ends', async () => {
    mock
      .on(GetQueryExecutionCommand)
      .resolvesOnce(state('QUEUED'))
      .resolvesOnce(state('RUNNING'))
      .resolvesOnce(state('RUNNING'))
      .resolvesOnce(state('RUNNING'))
      .resolvesOnce(state('RUNNING'))
      .resolvesOnce(state('RUNNING'))
      .resolves(state('SUCCEEDED'));
    mock.on(GetQueryResultsCommand).resolves(page([], undefined, true));
    const delays: number[] = [];
    const run = await runQuery(options({ delays, pollBackoff: { initialMs: 200, maxMs: 5_000 } }));
    expect(await collect(run)).toEqual([]);
    expect(delays).toEqual([200, 400, 800, 1600, 3200, 5000]);
    expect(mock.commandCalls(GetQueryExecutionCommand)).toHaveLength(7);
  });

  test('throttled calls are retried with backoff, not failed', async () => {
    const throttle = () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    mock.on(StartQueryExecutionCommand).rejectsOnce(throttle()).rejectsOnce(throttle()).resolves({ QueryExecutionId: 'q-1' });
    mock.on(GetQueryExecutionCommand).rejectsOnce(throttle()).resolves(state('SUCCEEDED'));
    mock.on(GetQueryResultsCommand).rejectsOnce(throttle()).resolves(page([['s3://b/k', 'e']], undefined, true));
    const delays: number[] = [];
    const throttled: string[] = [];
    const run = await runQuery(options({ delays, throttleBackoff: { initialMs: 500, maxMs: 20_000 }, onThrottle: (op) => throttled.push(op) }));
    expect(await collect(run)).toEqual([['s3://b/k', 'e']]);
    expect(throttled).toEqual(['StartQueryExecution', 'StartQueryExecution', 'GetQueryExecution', 'GetQueryResults']);
    expect(delays).toEqual([500, 1000, 500, 500]);
  });

  test('a throttle that never ends fails the query with the SDK error, after the retries', async () => {
    mock.on(StartQueryExecutionCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const run = await runQuery(options());
    expect(run).toMatchObject({ ok: false, reason: 'error', queryId: null });
    expect(!run.ok && run.message).toContain('TooManyRequestsException: Rate exceeded');
    expect(mock.commandCalls(StartQueryExecutionCommand)).toHaveLength(9);
  });

  test('Ctrl-C while the query runs stops it on Athena with StopQueryExecution', async () => {
    const interrupt = new AbortController();
    mock.on(GetQueryExecutionCommand).resolves(state('RUNNING', 1_000));
    mock.on(StopQueryExecutionCommand).resolves({});
    let polls = 0;
    const run = await runQuery(
      options({
        signal: interrupt.signal,
        sleep: async () => {
          if (++polls === 3) interrupt.abort();
        },
      }),
    );
    expect(run).toMatchObject({ ok: false, reason: 'interrupted', queryId: 'q-1' });
    expect(mock.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([{ QueryExecutionId: 'q-1' }]);
  });

  test('--max-scan-gb: a query past the cutoff is stopped and reported', async () => {
    mock.on(GetQueryExecutionCommand).resolvesOnce(state('RUNNING', 100)).resolves(state('RUNNING', 3 * 2 ** 30));
    mock.on(StopQueryExecutionCommand).resolves({});
    const run = await runQuery(options({ maxScanBytes: 2 * 2 ** 30 }));
    expect(run).toMatchObject({ ok: false, reason: 'scan-limit', bytesScanned: 3 * 2 ** 30 });
    expect(!run.ok && run.message).toMatch(/scanned 3\.0 GB, more than --max-scan-gb 2\.0/);
    expect(mock.commandCalls(StopQueryExecutionCommand)).toHaveLength(1);
  });

  test('workgroup, database, catalog and output location reach StartQueryExecution', async () => {
    mock.on(GetQueryExecutionCommand).resolves(state('SUCCEEDED'));
    mock.on(GetQueryResultsCommand).resolves(page([], undefined, true));
    await collect(await runQuery(options({ placement: { workGroup: 'ir', database: 'cloudtrail', catalog: 'AwsDataCatalog', outputLocation: 's3://results/ctq/' } })));
    expect(mock.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input).toEqual({
      QueryString: 'SELECT DISTINCT "$path", eventid FROM t',
      WorkGroup: 'ir',
      QueryExecutionContext: { Database: 'cloudtrail', Catalog: 'AwsDataCatalog' },
      ResultConfiguration: { OutputLocation: 's3://results/ctq/' },
    });
  });
});

describe('errors before the query runs', () => {
  test('missing credentials are the one line LookupEvents prints too', async () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    mock.on(StartQueryExecutionCommand).rejects(error);
    const run = await runQuery(options());
    expect(run).toMatchObject({ ok: false, reason: 'error', queryId: null });
    expect(!run.ok && run.message).toMatch(/^no AWS credentials found: set AWS_PROFILE or pass --profile/);
  });
});
