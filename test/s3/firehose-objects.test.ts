/**
 * CloudTrail's events delivered through Amazon Data Firehose (an EventBridge rule's target, or a CloudWatch Logs
 * subscription) land in S3 as `<prefix>YYYY/MM/dd/HH/<stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid>`, without an
 * extension unless Firehose compresses them (Firehose Developer Guide, "Configure Amazon S3 object name format").
 * Listing such a prefix reads them, and still leaves out other names. Against s3rver, with the real S3 client.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { putWithFolders, startS3Server, S3RVER_ENV, type S3Server } from './s3-server';

const RECORDS = readFileSync('fixtures/identity/assume-role-chain.ndjson', 'utf8').trimEnd().split('\n');
const BUCKET = 'eventbridge-firehose';
let server: S3Server;

beforeAll(async () => {
  server = await startS3Server();
  await server.client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const envelopes = RECORDS.map((line) => JSON.stringify({ version: '0', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.sts', detail: JSON.parse(line) }));
  const half = Math.ceil(envelopes.length / 2);
  const hour = 'cloudtrail/2024/06/01/10/';
  await putWithFolders(server, BUCKET, `${hour}ct-to-s3-1-2024-06-01-10-00-00-4b3c2d1e-0a1b-4c2d-8e3f-123456789abc`, Buffer.from(envelopes.slice(0, half).join('')));
  // A CloudWatch Logs subscription's payloads arrive gzipped, and Firehose writes them as they are.
  await putWithFolders(server, BUCKET, `${hour}ct-to-s3-1-2024-06-01-10-05-00-9f8e7d6c-5b4a-4392-8170-fedcba987654`, gzipSync(envelopes.slice(half).join('')));
  await putWithFolders(server, BUCKET, 'cloudtrail/README', Buffer.from('delivered by Firehose\n'));
});

afterAll(async () => {
  await server?.close();
});

describe('Firehose objects in S3', () => {
  it('are listed and read under their prefix, other names left out', async () => {
    const result = await runCtq(['*:*', '--input', `s3://${BUCKET}/cloudtrail/`, '--endpoint-url', server.endpoint, '--stats'], { env: S3RVER_ENV });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(ndjson(result.stdout).map((e) => e.eventID)).toEqual(RECORDS.map((line) => (JSON.parse(line) as { eventID: string }).eventID));
  });
});
