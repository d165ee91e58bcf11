/** Which records event history serves, and the summary fields derived from each. */
import { describe, expect, it } from 'vitest';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { JsonObject } from '../../src/language/json';
import { startEmulator } from '../../src/emulator/emulator';
import { toLookupEvent } from '../../src/emulator/lookup-event';
import { clientFor, harnessPerTest, idsOf, lookupAll, writeNdjson } from './harness';

const base = (id: string, extra: JsonObject = {}): JsonObject => ({
  eventVersion: '1.08',
  eventTime: '2026-11-01T10:00:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'PutBucketAcl',
  awsRegion: 'us-east-1',
  eventID: id,
  readOnly: false,
  recipientAccountId: '111122223333',
  userIdentity: { type: 'IAMUser', userName: 'alice', accountId: '111122223333', accessKeyId: 'AKIAALICE' },
  ...extra,
});

const emulators = harnessPerTest();

describe('what event history serves', () => {
  it('leaves out data events, by eventCategory or (older records) managementEvent: false', async () => {
    const harness = await emulators.start([
      base('management'),
      base('data', { eventCategory: 'Data', eventName: 'GetObject' }),
      base('old-data', { managementEvent: false, eventName: 'GetObject' }),
    ]);
    expect(idsOf(await lookupAll(clientFor(harness.emulator.url, 'us-east-1')))).toEqual(['management']);
    expect(harness.logs.join('\n')).toMatch(/left out 2 data/);
  });

  it('serves Insights events only for EventCategory insight', async () => {
    const harness = await emulators.start([base('management'), base('insight', { eventType: 'AwsCloudTrailInsight', eventCategory: 'Insight' })]);
    const client = clientFor(harness.emulator.url, 'us-east-1');
    expect(idsOf(await lookupAll(client))).toEqual(['management']);
    expect(idsOf(await lookupAll(client, { EventCategory: 'insight' }))).toEqual(['insight']);
  });

  it('reports unreadable and incomplete records on stderr and serves the rest', async () => {
    const dir = await writeNdjson([base('good'), base('no-region', { awsRegion: null }), { eventID: 'no-time' }]);
    await writeFile(join(dir, 'broken.ndjson'), '{"eventID": \n');
    const logs: string[] = [];
    const emulator = await startEmulator({ data: { kind: 'paths', paths: [dir] }, log: (line) => logs.push(line) });
    try {
      expect(idsOf(await lookupAll(clientFor(emulator.url, 'us-east-1')))).toEqual(['good']);
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
    const skipped = logs.filter((line) => line.startsWith('skipped')).join('\n');
    expect(skipped).toMatch(/events\.ndjson:2: record no-region has no awsRegion/);
    expect(skipped).toMatch(/events\.ndjson:3: record no-time has no valid eventTime/);
    expect(skipped).toMatch(/broken\.ndjson/);
  });

  it('serves the record text verbatim as CloudTrailEvent', async () => {
    const harness = await emulators.start([base('verbatim')]);
    const page = await clientFor(harness.emulator.url, 'us-east-1').send(new LookupEventsCommand({}));
    expect(page.Events?.[0]?.CloudTrailEvent).toBe(JSON.stringify(base('verbatim')));
  });
});

describe('Username', () => {
  const username = (userIdentity: JsonObject): string | null => {
    const conversion = toLookupEvent(base('x', { userIdentity }), null);
    if (conversion.kind !== 'event') throw new Error(conversion.kind);
    return conversion.event.username;
  };

  it('is the userName of an IAM user', () => {
    expect(username({ type: 'IAMUser', userName: 'alice' })).toBe('alice');
  });

  it('is root for the root user', () => {
    expect(username({ type: 'Root', arn: 'arn:aws:iam::111122223333:root' })).toBe('root');
  });

  it('is the session name of an assumed role or federated user', () => {
    expect(username({ type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/jane@example.com' })).toBe(
      'jane@example.com',
    );
    expect(username({ type: 'FederatedUser', arn: 'arn:aws:sts::111122223333:federated-user/Bob' })).toBe('Bob');
  });

  it('is the calling service for an AWS service identity', () => {
    expect(username({ type: 'AWSService', invokedBy: 'lambda.amazonaws.com' })).toBe('lambda.amazonaws.com');
  });

  it('is absent when the identity names no one', () => {
    expect(username({ type: 'AWSAccount', principalId: 'AIDAEXAMPLE' })).toBeNull();
  });
});

describe('Resources', () => {
  it('lists the type and ARN of each entry of the record resources array', () => {
    const conversion = toLookupEvent(
      base('x', {
        resources: [
          { accountId: '111122223333', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::b' },
          { type: 'AWS::S3::Object', ARNPrefix: 'arn:aws:s3:::b/logs/' },
          'not a resource',
        ],
      }),
      null,
    );
    expect(conversion.kind === 'event' && conversion.event.resources).toEqual([
      { ResourceType: 'AWS::S3::Bucket', ResourceName: 'arn:aws:s3:::b' },
      { ResourceType: 'AWS::S3::Object', ResourceName: 'arn:aws:s3:::b/logs/' },
    ]);
  });
});
