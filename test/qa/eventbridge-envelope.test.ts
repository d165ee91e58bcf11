/**
 * CloudTrail's events as EventBridge delivers them: a rule on the default bus with a Firehose, SQS or log
 * group target writes `{"version":"0","id":…,"detail-type":"AWS API Call via CloudTrail","source":"aws.s3",
 * "account":…,"time":…,"region":…,"resources":[],"detail":{the CloudTrail record}}` (EventBridge User Guide,
 * "AWS service events delivered via AWS CloudTrail": the five detail-types ending "via CloudTrail"). Each such
 * event is its detail's record: selected, filtered, enriched and followed through role chains as the record
 * itself is. Before, `s3:*` found none of them, with no word said.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

const CHAIN = readFileSync('fixtures/identity/assume-role-chain.ndjson', 'utf8').trimEnd().split('\n');

const DETAIL_TYPES: Readonly<Record<string, string>> = {
  AwsApiCall: 'AWS API Call via CloudTrail',
  AwsConsoleSignIn: 'AWS Console Signin via CloudTrail',
  AwsServiceEvent: 'AWS Service Event via CloudTrail',
  AwsConsoleAction: 'AWS Console Action via CloudTrail',
};

/** The record as EventBridge wraps it (members in the order EventBridge writes them). */
function envelope(line: string, i: number): string {
  const detail = JSON.parse(line) as Record<string, unknown>;
  const source = String(detail.eventSource ?? 'aws').replace('.amazonaws.com', '');
  return JSON.stringify({
    version: '0',
    id: `6a7e8feb-b491-4cf7-a9f1-bf3703467718-${i}`,
    'detail-type': DETAIL_TYPES[String(detail.eventType)] ?? DETAIL_TYPES.AwsApiCall,
    source: `aws.${source}`,
    account: '111122223333',
    time: detail.eventTime,
    region: detail.awsRegion ?? 'us-east-1',
    resources: [],
    detail,
  });
}

function inputs(): { plain: string; wrapped: string; gzipped: string } {
  const dir = scratchDir('ctq-qa-eventbridge-');
  const plain = join(dir, 'plain.ndjson');
  const wrapped = join(dir, 'eventbridge.ndjson');
  const gzipped = join(dir, 'firehose.gz');
  writeFileSync(plain, CHAIN.join('\n') + '\n');
  const envelopes = CHAIN.map(envelope);
  writeFileSync(wrapped, envelopes.join('\n') + '\n');
  // Firehose writes records back to back with no separator unless told to add one.
  writeFileSync(gzipped, gzipSync(envelopes.join('')));
  return { plain, wrapped, gzipped };
}

describe('EventBridge events from CloudTrail', () => {
  it('are read as the records in their detail, in every mode a plain record is', async () => {
    const { plain, wrapped, gzipped } = inputs();
    const reference = (line: string) => JSON.stringify(JSON.parse(line));
    for (const input of [wrapped, gzipped]) {
      const all = await runCtq(['*:*', '--input', input, '--stats']);
      expect(all.code).toBe(0);
      expect(all.stdout.trimEnd().split('\n')).toEqual(CHAIN.map(reference));
      expect(JSON.parse(all.stderr.trimEnd().split('\n').at(-1)!)).toMatchObject({ eventsScanned: CHAIN.length, matched: CHAIN.length, badRecords: 0 });
    }
    for (const args of [
      ['s3:*'],
      ['*:*', '--match', '$.userIdentity.type == "AssumedRole"'],
      ['*:*', '--match', 'chainOf("arn:aws:iam::111122223333:user/alice")'],
      ['*:*', '--enrich'],
      ['*:*', '--summary'],
    ]) {
      const fromRecords = await runCtq([...args, '--input', plain]);
      const fromEnvelopes = await runCtq([...args, '--input', wrapped]);
      expect(fromEnvelopes.code, args.join(' ')).toBe(0);
      expect(fromRecords.stdout.length, args.join(' ')).toBeGreaterThan(0);
      // Field for field: the envelope's record is written as its value serialises, the plain record as recorded.
      expect(ndjson(fromEnvelopes.stdout), args.join(' ')).toEqual(ndjson(fromRecords.stdout));
    }
  });

  it('an envelope whose detail is no object is a bad record, named where it is', async () => {
    const dir = scratchDir('ctq-qa-eventbridge-bad-');
    const file = join(dir, 'bad.ndjson');
    writeFileSync(file, `${envelope(CHAIN[0]!, 0)}\n{"detail-type":"AWS API Call via CloudTrail","detail":"oops"}\n`);
    const result = await runCtq(['*:*', '--input', file]);
    expect(result.code).toBe(0);
    expect(ndjson(result.stdout)).toHaveLength(1);
    expect(result.stderr).toContain(`${file}:2: EventBridge event from CloudTrail whose detail is`);
  });

  it('other EventBridge events are not unwrapped (their detail is no CloudTrail record)', async () => {
    const dir = scratchDir('ctq-qa-eventbridge-other-');
    const file = join(dir, 'other.ndjson');
    const other = '{"version":"0","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","detail":{"instance-id":"i-1","state":"running"}}';
    writeFileSync(file, other + '\n');
    const result = await runCtq(['*:*', '--input', file]);
    expect(result.stdout).toBe(other + '\n');
  });
});
