/**
 * Conformance: the real AWS CLI (botocore, its own awsJson serializer, SigV4 signer, paginator and
 * retry handler) talks to the emulator and lists exactly what the SDK v3 paginator lists. It uses
 * Debian's `awscli` at /usr/bin/aws on purpose: an `aws` earlier on PATH may be another install.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticEvents } from '../support/synthetic-events';
import { clientFor, idsOf, lookupAll, startOn, type Harness } from './harness';

const AWS = '/usr/bin/aws';
const region = 'eu-west-1';
const records = syntheticEvents({ count: 300, seed: 21, regions: ['us-east-1', region] });

let harness: Harness;
beforeAll(async () => {
  // The documented 2 TPS: the CLI pages faster than that, so this also proves it retries our throttle.
  harness = await startOn(records, { rate: 2 });
});
afterAll(async () => harness.stop());

async function awsCli(args: readonly string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)(AWS, [...args, '--output', 'json'], {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: harness.dir,
      AWS_ACCESS_KEY_ID: 'AKIAEMULATOR',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      AWS_RETRY_MODE: 'standard',
      AWS_MAX_ATTEMPTS: '10',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

describe('aws cloudtrail lookup-events against the emulator', () => {
  it('lists exactly the EventIds the SDK paginator lists, paging 7 at a time', { timeout: 120_000 }, async () => {
    expect(existsSync(AWS), `${AWS} is missing: install Debian's awscli (apt-get install awscli); CI does`).toBe(true);
    const attribute = { AttributeKey: 'EventSource', AttributeValue: 's3.amazonaws.com' } as const;
    const output = (await awsCli([
      'cloudtrail',
      'lookup-events',
      '--endpoint-url',
      harness.emulator.url,
      '--region',
      region,
      '--lookup-attributes',
      `AttributeKey=${attribute.AttributeKey},AttributeValue=${attribute.AttributeValue}`,
      '--page-size',
      '7',
    ])) as { Events: Array<{ EventId: string; EventSource: string }> };

    const viaSdk = idsOf(await lookupAll(clientFor(harness.emulator.url, region, { maxAttempts: 10 }), { LookupAttributes: [attribute] }, 7));
    const viaCli = output.Events.map((event) => event.EventId);
    expect(viaCli.length).toBeGreaterThan(14);
    expect(viaCli).toEqual(viaSdk);
    expect(output.Events.every((event) => event.EventSource === 's3.amazonaws.com')).toBe(true);
    expect(harness.emulator.counters.served).toBeGreaterThanOrEqual(Math.ceil(viaCli.length / 7) * 2);
  });
});
