/**
 * Reading local inputs in CloudTrail's delivery order (for thresholds): the time in a trail file's
 * name (`ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`, cloudtrail-log-file-examples.md),
 * and the merge of per-region lanes of a synced bucket.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverInputs, type Discovery, type InputSpec } from '../../src/sources/local/discover';
import { discoverInDeliveryOrder } from '../../src/sources/local/delivery-walk';
import { mergeInTimeOrder } from '../../src/sources/time-merge';
import { deliveryTimeOf } from '../../src/sources/trail-file-name';

describe('deliveryTimeOf', () => {
  it('reads the delivery minute (UTC) of a trail file name, from a path or an S3 key', () => {
    expect(deliveryTimeOf('111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz')).toBe(Date.parse('2015-08-01T02:10:00Z'));
    expect(deliveryTimeOf('/logs/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/18/111122223333_CloudTrail_eu-west-1_20261118T2359Z_abc.json')).toBe(
      Date.parse('2026-11-18T23:59:00Z'),
    );
    expect(deliveryTimeOf('AWSLogs/o-aa111bb222/111122223333/CloudTrail-Insight/us-east-1/2026/11/18/111122223333_CloudTrail-Insight_us-east-1_20261118T0105Z_x.json.gz')).toBe(
      Date.parse('2026-11-18T01:05:00Z'),
    );
  });

  it('says nothing of names without the stamp, or with one that is no instant', () => {
    expect(deliveryTimeOf('events.ndjson')).toBeNull();
    expect(deliveryTimeOf('lookup-events-20261118T0210Z.json')).toBeNull();
    expect(deliveryTimeOf('111122223333_CloudTrail_us-east-1_20261318T0210Z_x.json.gz')).toBeNull(); // month 13
    expect(deliveryTimeOf('111122223333_CloudTrail_us-east-1_20260230T0210Z_x.json.gz')).toBeNull(); // 30 February
    expect(deliveryTimeOf('111122223333_CloudTrail_us-east-1_20261118T2460Z_x.json.gz')).toBeNull();
    // Digest files are never read (discover.ts skips them); their names do not parse as log files either.
    expect(deliveryTimeOf('111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20261118T0210Z.json.gz')).toBeNull();
  });
});

describe('mergeInTimeOrder', () => {
  const collect = async <T>(items: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const item of items) out.push(item);
    return out;
  };
  const timeOf = (name: string) => (/^\d+$/.test(name) ? Number(name) : null);

  it('merges lanes in time order; ties keep the lanes order', async () => {
    const lanes = [['1', '4', '7'], ['2', '4', '9'], ['3']].map((lane) => lane[Symbol.iterator]());
    expect(await collect(mergeInTimeOrder(lanes, timeOf))).toEqual(['1', '2', '3', '4', '4', '7', '9']);
  });

  it('keeps an untimed item after the item before it in its lane; lanes starting untimed come first, in order', async () => {
    const lanes = [['5', 'a', '8'], ['b', 'c'], ['6'], ['d']].map((lane) => lane[Symbol.iterator]());
    expect(await collect(mergeInTimeOrder(lanes, timeOf))).toEqual(['b', 'c', 'd', '5', 'a', '6', '8']);
  });

  it('takes asynchronous lanes beside synchronous ones, and closes every lane when stopped early', async () => {
    let closed = 0;
    async function* slow() {
      try {
        yield '2';
        yield '3';
      } finally {
        closed++;
      }
    }
    function* fast() {
      try {
        yield '1';
        yield '4';
      } finally {
        closed++;
      }
    }
    const out: string[] = [];
    for await (const item of mergeInTimeOrder([slow(), fast()], timeOf)) {
      out.push(item);
      if (out.length === 2) break;
    }
    expect(out).toEqual(['1', '2']);
    expect(closed).toBe(2);
  });
});

describe('discoverInDeliveryOrder', () => {
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ctq-delivery-order-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const touch = (path: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), '{}\n');
  };
  const trailFile = (logs: string, account: string, region: string, stamp: string) =>
    `${logs}/${account}/CloudTrail/${region}/${stamp.slice(0, 4)}/${stamp.slice(4, 6)}/${stamp.slice(6, 8)}/${account}_CloudTrail_${region}_${stamp}_u.json.gz`;
  const order = async (inputs: readonly InputSpec[], discover = discoverInDeliveryOrder) => {
    const out: string[] = [];
    for await (const found of discover(inputs.map((input) => (typeof input === 'string' && input !== '-' ? join(root, input) : input)))) out.push(describe(found));
    return out;
  };
  const describe = (found: Discovery) =>
    found.kind === 'file' ? (found.file.kind === 'file' ? relative(root, found.file.path) : found.file.kind) : `${found.kind}:${relative(root, found.path)}`;

  it('reads regions, accounts and organization folders of a synced bucket by delivery time, days in order', async () => {
    const files = [
      trailFile('AWSLogs', '111122223333', 'eu-west-1', '20261118T2355Z'),
      trailFile('AWSLogs', '111122223333', 'eu-west-1', '20261119T0010Z'),
      trailFile('AWSLogs', '111122223333', 'us-east-1', '20261118T2350Z'),
      trailFile('AWSLogs', '111122223333', 'us-east-1', '20261119T0005Z'),
      trailFile('AWSLogs', '444455556666', 'eu-west-1', '20261119T0000Z'),
      trailFile('AWSLogs/o-aa111bb222', '777788889999', 'us-east-1', '20261118T2359Z'),
    ];
    files.forEach(touch);
    touch('AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/18/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20261118T2350Z.json.gz');
    expect(await order(['AWSLogs'])).toEqual([files[2], files[0], files[5], files[4], files[3], files[1]]);
  });

  it('merges several --input trees, named trail files and stdin; untimed inputs first, in the order given', async () => {
    const a = trailFile('a/AWSLogs', '111122223333', 'us-east-1', '20261118T1000Z');
    const b = trailFile('b/AWSLogs', '111122223333', 'us-east-1', '20261118T0900Z');
    const named = '111122223333_CloudTrail_eu-west-1_20261118T0930Z_u.json.gz';
    [a, b, named, 'notes/events.ndjson'].forEach(touch);
    expect(await order(['a', 'b', named, '-', 'notes'])).toEqual(['stdin', 'notes/events.ndjson', b, named, a]);
  });

  it('keeps a file without a stamp after the file before it in its folder, and reports skipped names in place', async () => {
    const first = trailFile('AWSLogs', '111122223333', 'us-east-1', '20261118T0100Z');
    const later = trailFile('AWSLogs', '111122223333', 'us-east-1', '20261118T0300Z');
    const other = trailFile('AWSLogs', '111122223333', 'eu-west-1', '20261118T0200Z');
    const stray = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/18/copied-by-hand.json';
    const note = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/18/README.txt';
    [first, later, other, stray, note].forEach(touch);
    writeFileSync(join(root, note), 'Copied from the trail bucket by hand.\n'); // prose: a .txt is read only when it starts as events
    // In the day folder, sorted: 111…0100Z, 111…0300Z, README.txt, copied-by-hand.json (upper case sorts first).
    expect(await order(['AWSLogs'])).toEqual([first, other, later, `skipped:${note}`, stray]);
  });

  it('is path order for inputs without trail file names', async () => {
    ['x/2.ndjson', 'x/1.json', 'x/sub/3.jsonl', 'y.json', 'x/10.log.gz'].forEach(touch);
    const inputs = ['x', 'y.json', 'missing.json'];
    expect(await order(inputs)).toEqual(await order(inputs, discoverInputs));
  });
});
