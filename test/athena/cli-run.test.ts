/**
 * `--engine athena` run through the CLI in-process, with the Athena SDK client mocked
 * (aws-sdk-client-mock replaces `send` on every AthenaClient, so the client the CLI makes is the
 * mocked one): exit codes for a failed query and for Ctrl-C, and the --stats line.
 */
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/run';

const athena = mockClient(AthenaClient);

async function ctq(args: string[], signal?: AbortSignal): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  stderr.on('data', (b: Buffer) => (err += b.toString()));
  const code = await run(args, { stdin: new PassThrough(), stdout, stderr, env: {}, now: () => Date.now(), workerUrl: null, ...(signal ? { signal } : {}) });
  return { code, stdout: out, stderr: err };
}

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
