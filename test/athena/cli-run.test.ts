/**
 * `--engine athena` run through the CLI in-process, with the Athena SDK client mocked
 * (aws-sdk-client-mock replaces `send` on every AthenaClient, so the client the CLI makes is the
 * mocked one): exit codes for a failed query and for Ctrl-C, and the --stats line.
 */
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { runInProcess } from './run-in-process';

const athena = mockClient(AthenaClient);

const ctq = (args: string[], signal?: AbortSignal) => runInProcess(args, signal ? { signal } : {});

const ARGS = ['iam:*', '--engine', 'athena', '--athena-table', 'cloudtrail.org_trail', '--work-group', 'ir', '--region', 'us-east-1', '--from', '2025-12-01'];

beforeEach(() => {
  athena.reset();
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-7' });
});

describe('ctq --engine athena (Athena SDK mocked)', () => {
  test('no rows: exit 0, and --stats adds the Athena counters and the estimated cost', async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 3 * 2 ** 30 } } });
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [{ Data: [{ VarCharValue: '$path' }, { VarCharValue: 'eventid' }] }] } });
    const result = await ctq([...ARGS, '--stats']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const stats = JSON.parse(result.stderr.trim().split('\n').at(-1)!) as Record<string, number>;
    expect(stats).toMatchObject({ athenaQueries: 1, bytesScanned: 3 * 2 ** 30, apiCalls: 3, matched: 0 });
    expect(stats.estimatedCostUsd).toBeCloseTo((3 / 1024) * 5, 6);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input).toMatchObject({ WorkGroup: 'ir' });
  });

  test("a FAILED query: exit 1 with Athena's reason", async () => {
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'FAILED', AthenaError: { ErrorMessage: 'COLUMN_NOT_FOUND: line 3:9: Column eventsource cannot be resolved' } } },
    });
    const result = await ctq(ARGS);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Athena query q-7 failed: COLUMN_NOT_FOUND: line 3:9: Column eventsource cannot be resolved');
  });

  test('Ctrl-C: the query is stopped on Athena and the run exits 130', async () => {
    const interrupt = new AbortController();
    athena.on(GetQueryExecutionCommand).callsFake(() => {
      interrupt.abort();
      return { QueryExecution: { Status: { State: 'RUNNING' }, Statistics: { DataScannedInBytes: 1 } } };
    });
    athena.on(StopQueryExecutionCommand).resolves({});
    const result = await ctq(ARGS, interrupt.signal);
    expect(result.code).toBe(130);
    expect(athena.commandCalls(StopQueryExecutionCommand).map((c) => c.args[0].input)).toEqual([{ QueryExecutionId: 'q-7' }]);
    expect(result.stdout).toBe('');
  });

  test('--max-scan-gb stops a query past the cutoff: exit 1', async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' }, Statistics: { DataScannedInBytes: 2 * 2 ** 30 } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const result = await ctq([...ARGS, '--max-scan-gb', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('more than --max-scan-gb 1.0');
    expect(athena.commandCalls(StopQueryExecutionCommand)).toHaveLength(1);
  });
});

describe('ctq --engine athena reading the named objects from S3 (s3rver)', () => {
  type S3rver = { run(): Promise<{ port: number }>; close(): Promise<void> };
  const S3rverClass = createRequire(import.meta.url)('s3rver') as new (options: Record<string, unknown>) => S3rver;
  const FOLDER = new URL('../../fixtures/AWSLogs/111122223333/CloudTrail/us-east-1/', import.meta.url).pathname;
  let server: S3rver;
  let dir: string;
  let endpoint: string;
  const saved = { ...process.env };
  const key = (() => {
    const walk = (path: string): string => {
      const entry = readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))[0]!;
      return entry.isDirectory() ? walk(join(path, entry.name)) : join(path, entry.name);
    };
    return walk(FOLDER);
  })();
  const objectKey = key.slice(key.indexOf('AWSLogs/'));
  const records = (JSON.parse(gunzipSync(readFileSync(key)).toString('utf8')) as { Records: Record<string, unknown>[] }).Records;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ctq-athena-s3-'));
    server = new S3rverClass({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: 'org-trail' }] });
    endpoint = `http://127.0.0.1:${(await server.run()).port}`;
    // The S3 client takes its credentials from the SDK's default chain, as in a real run.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: 'org-trail', Key: objectKey, Body: readFileSync(key) }));
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    process.env = saved;
  });

  test('writes exactly the named events the query accepts, read through AWS_ENDPOINT_URL_S3', async () => {
    const write = records.find((r) => r.readOnly === false)!;
    const read = records.find((r) => r.readOnly === true)!;
    const unnamed = records.filter((r) => r.readOnly === false && r !== write);
    expect(unnamed.length).toBeGreaterThan(0); // in the object, accepted by the query, but not named by Athena
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 1 } } });
    const row = (id: unknown) => ({ Data: [{ VarCharValue: `s3://org-trail/${objectKey}` }, { VarCharValue: String(id) }] });
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [{ Data: [{ VarCharValue: '$path' }, { VarCharValue: 'eventid' }] }, row(write.eventID), row(read.eventID)] } });
    const result = await runInProcess(['*:*', '--engine', 'athena', '--athena-table', 'cloudtrail.org_trail', '--match', '$.readOnly == false', '--stats'], {
      env: { AWS_ENDPOINT_URL_S3: endpoint },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line).eventID)).toEqual([write.eventID]);
    const stats = JSON.parse(result.stderr.trim().split('\n').at(-1)!) as Record<string, number>;
    expect(stats).toMatchObject({ athenaQueries: 1, matched: 1, files: 1, getCalls: 1, eventsScanned: records.length });
  });
});
