/**
 * Opt-in, against a real AWS account; never runs in CI. Set CTQ_ATHENA_TABLE (database.table, made
 * with `ctq athena-ddl`) and CTQ_ATHENA_WORKGROUP, with credentials and region in the environment
 * as for the AWS CLI; optionally CTQ_ATHENA_OUTPUT (s3:// result location) when the workgroup has
 * none. It costs a few Athena queries of the last day's partitions (capped by --max-scan-gb 1).
 *
 *   CTQ_ATHENA_TABLE=cloudtrail.org_trail CTQ_ATHENA_WORKGROUP=ir npx vitest run test/athena/live.test.ts
 */
import { describe, expect, test } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';

const table = process.env.CTQ_ATHENA_TABLE;
const workGroup = process.env.CTQ_ATHENA_WORKGROUP;
const output = process.env.CTQ_ATHENA_OUTPUT;

describe.skipIf(table === undefined || workGroup === undefined)('live Athena (opt-in: CTQ_ATHENA_TABLE, CTQ_ATHENA_WORKGROUP)', () => {
  const from = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  const common = ['--engine', 'athena', '--athena-table', table ?? '', '--work-group', workGroup ?? '', '--from', from, '--max-scan-gb', '1', ...(output ? ['--result-configuration', `OutputLocation=${output}`] : [])];

  test('a write query returns events ctq accepts, with Athena counters in --stats', async () => {
    const result = await runCtq(['*:*', ...common, '--match', '$.readOnly == false', '--stats']);
    expect(result.code, result.stderr).toBe(0);
    for (const event of ndjson(result.stdout)) {
      expect(event.readOnly).toBe(false);
      expect(Date.parse(String(event.eventTime))).toBeGreaterThanOrEqual(Date.parse(from));
    }
    const stats = JSON.parse(result.stderr.trim().split('\n').at(-1)!) as Record<string, number>;
    expect(stats.athenaQueries).toBe(1);
    expect(stats.bytesScanned).toBeGreaterThanOrEqual(0);
    expect(stats.estimatedCostUsd).toBeGreaterThan(0);
  }, 300_000);

  test('a table that does not exist fails with Athena\'s reason (exit 1)', async () => {
    const result = await runCtq(['*:*', ...common.map((arg) => (arg === table ? `${table}_ctq_missing` : arg))]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Athena query .* failed: /);
  }, 300_000);
});
