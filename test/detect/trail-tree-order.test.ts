/**
 * Thresholds over an `aws s3 sync` copy of trail buckets: files sit in one folder per account, region
 * and day (`AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/`), so path order reads all of one
 * region's days before the next region's. A burst spread over regions (or accounts, or `--input` trees)
 * is only seen when the files are read in delivery order, which their names carry
 * (`ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`, cloudtrail-log-file-examples.md).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lines, runInProcess } from '../rules/in-process';

const ACCOUNTS = ['111122223333', '444455556666'];
const REGIONS = ['ap-southeast-2', 'eu-central-1', 'eu-west-1', 'sa-east-1', 'us-east-1', 'us-west-2'];
const DAYS = ['2026-11-19', '2026-11-20', '2026-11-21'];
const ATTACKER = 'arn:aws:iam::111122223333:user/mallory';
const ADMIN = 'arn:aws:iam::111122223333:user/admin';
const MIN = 60_000;

let seq = 0;
function runInstances(ms: number, arn: string, account: string, region: string) {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn, accountId: account, userName: arn.split('/').pop() },
    eventTime: new Date(ms).toISOString().replace('.000Z', 'Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    awsRegion: region,
    sourceIPAddress: '198.51.100.7',
    eventID: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: account,
  };
}

/** `YYYYMMDDTHHmmZ` of an instant, as CloudTrail names a file delivered then. */
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';

let root = '';
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ctq-trail-tree-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** One trail file holding `events`, delivered `delayMs` after the last of them, where CloudTrail puts it below `logs` (an AWSLogs folder). */
function deliver(logs: string, account: string, region: string, events: readonly ReturnType<typeof runInstances>[], delayMs = 4 * MIN): string {
  const delivered = Math.max(...events.map((e) => Date.parse(e.eventTime))) + delayMs;
  const day = new Date(delivered).toISOString().slice(0, 10).replace(/-/g, '/');
  const dir = join(logs, account, 'CloudTrail', region, day);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${account}_CloudTrail_${region}_${stamp(delivered)}_${String(seq).padStart(16, '0')}.json.gz`);
  writeFileSync(path, gzipSync(JSON.stringify({ Records: events })));
  return path;
}

/**
 * Background: in every account and region, the admin and mallory call RunInstances twice a day, each
 * region's hours 3 hours from the next's. Mallory's days in every region are what hid her burst: read
 * in path order, her events arrive days of event time apart.
 */
function background(logs: string): void {
  for (const account of ACCOUNTS) {
    REGIONS.forEach((region, r) => {
      for (const day of DAYS) {
        for (const hour of [r * 3 + 1, r * 3 + 5]) {
          const ms = Date.parse(`${day}T${String(hour).padStart(2, '0')}:30:00Z`);
          deliver(logs, account, region, [runInstances(ms, ADMIN, account, region), runInstances(ms + MIN, ATTACKER, account, region)]);
        }
      }
    });
  }
}

const DISTINCT_REGIONS = ['*:RunInstances', '--count-by', '$.userIdentity.arn', '--distinct', '$.awsRegion', '--threshold', '5', '--window', '10m'];

describe('thresholds over a trail tree read in delivery order', () => {
  it('finds one identity calling RunInstances in 5 regions within 10 minutes, each in its own region folder', async () => {
    const logs = join(root, 'AWSLogs');
    background(logs);
    const start = Date.parse('2026-11-20T12:00:00Z');
    const burst = REGIONS.slice(0, 5).map((region, i) => runInstances(start + i * 2 * MIN, ATTACKER, '111122223333', region));
    for (const event of burst) deliver(logs, '111122223333', event.awsRegion, [event]);
    const result = await runInProcess([...DISTINCT_REGIONS, '--input', root]);
    expect(result.code).toBe(0);
    const alerts = lines(result.stdout);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ key: { '$.userIdentity.arn': ATTACKER }, count: 5, firstTime: '2026-11-20T12:00:00.000Z', lastTime: '2026-11-20T12:08:00.000Z' });
    expect((alerts[0]!.distinct as { values: string[] }).values.sort()).toEqual(REGIONS.slice(0, 5).sort());
  });

  it('finds a burst spread over two accounts of an organization trail and two --input trees', async () => {
    const org = join(root, 'org', 'AWSLogs', 'o-exampleorg1');
    const other = join(root, 'other', 'AWSLogs');
    background(org);
    background(other);
    const start = Date.parse('2026-11-21T03:00:00Z');
    const where: [string, string, string][] = [
      [org, '111122223333', 'us-east-1'],
      [org, '444455556666', 'eu-west-1'],
      [other, '111122223333', 'sa-east-1'],
      [org, '444455556666', 'us-west-2'],
      [other, '444455556666', 'ap-southeast-2'],
    ];
    where.forEach(([logs, account, region], i) => deliver(logs, account, region, [runInstances(start + i * MIN, ATTACKER, account, region)]));
    const result = await runInProcess([...DISTINCT_REGIONS, '--input', join(root, 'org'), '--input', join(root, 'other')]);
    expect(result.code).toBe(0);
    const alerts = lines(result.stdout);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ key: { '$.userIdentity.arn': ATTACKER }, count: 5 });
  });

  it('counts events whose files were delivered late, within the documented delay, exactly', async () => {
    const logs = join(root, 'AWSLogs');
    background(logs);
    const start = Date.parse('2026-11-19T20:00:00Z');
    // Five calls 1 minute apart, and a sixth 12 minutes after the first, in a file delivered before the
    // first two regions' files, which come 14 minutes late: their events arrive 12 minutes (more than
    // a window, less than the documented delivery delay) after a later one of the same key.
    REGIONS.slice(0, 5).forEach((region, i) => deliver(logs, '111122223333', region, [runInstances(start + i * MIN, ATTACKER, '111122223333', region)], i < 2 ? 14 * MIN : 2 * MIN));
    deliver(logs, '111122223333', REGIONS[5]!, [runInstances(start + 12 * MIN, ATTACKER, '111122223333', REGIONS[5]!)], MIN);
    const result = await runInProcess(['*:RunInstances', '--count-by', '$.userIdentity.arn', '--distinct', '$.awsRegion', '--threshold', '5', '--window', '5m', '--input', root]);
    expect(lines(result.stdout)).toMatchObject([{ key: { '$.userIdentity.arn': ATTACKER }, count: 5 }]);
  });

  it('does not alert when the same calls are spread wider than the window', async () => {
    const logs = join(root, 'AWSLogs');
    background(logs);
    REGIONS.slice(0, 5).forEach((region, i) => deliver(logs, '111122223333', region, [runInstances(Date.parse('2026-11-19T12:00:00Z') + i * 11 * MIN, ATTACKER, '111122223333', region)]));
    const result = await runInProcess([...DISTINCT_REGIONS, '--input', root]);
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toEqual([]);
  });
});
