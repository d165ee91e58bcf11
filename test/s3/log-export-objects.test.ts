/**
 * A trail's CloudWatch Logs log group exported to S3 (CreateExportTask) lands as gzipped objects under
 * `<prefix>/<task id>/<log stream>/000000.gz`, one log event per line, `TIMESTAMP MESSAGE`. Listing the prefix
 * reads them as the records in their messages. Against s3rver, with the real S3 client.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { putWithFolders, startS3Server, S3RVER_ENV, type S3Server } from './s3-server';

const RECORDS = readFileSync('fixtures/identity/assume-role-chain.ndjson', 'utf8').trimEnd().split('\n');
const BUCKET = 'log-group-exports';
let server: S3Server;

/** Log events as an export writes them: the event's time, ISO 8601 with milliseconds, a space, the message. */
function exportLines(lines: readonly string[]): Buffer {
  return gzipSync(lines.map((line) => `${new Date((JSON.parse(line) as { eventTime: string }).eventTime).toISOString()} ${line}\n`).join(''));
}

beforeAll(async () => {
  server = await startS3Server();
  await server.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const stream = 'exportedlogs/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/111122223333_CloudTrail_us-east-1/';
  const half = Math.ceil(RECORDS.length / 2);
  await putWithFolders(server, BUCKET, `${stream}000000.gz`, exportLines(RECORDS.slice(0, half)));
  await putWithFolders(server, BUCKET, `${stream}000001.gz`, exportLines(RECORDS.slice(half)));
  await putWithFolders(server, BUCKET, 'exportedlogs/NOTES', Buffer.from('exported by hand\n'));
});

afterAll(async () => {
  await server?.close();
});

describe('CloudWatch Logs exports in S3', () => {
  it('are read under their prefix as the records in their messages', async () => {
    const result = await runCtq(['*:*', '--input', `s3://${BUCKET}/exportedlogs/`, '--endpoint-url', server.endpoint, '--stats'], { env: S3RVER_ENV });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual(RECORDS);
    expect(ndjson(result.stdout)).toHaveLength(RECORDS.length);
    expect(JSON.parse(result.stderr.trimEnd().split('\n').at(-1)!)).toMatchObject({ eventsScanned: RECORDS.length, badRecords: 0, files: 2 });
  });
});
