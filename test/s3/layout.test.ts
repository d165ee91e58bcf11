/** The pure parts of S3 inputs: URLs, the date folders a window needs, and the --state cursor arithmetic. */
import { describe, expect, test } from 'vitest';
import { DELIVERY_MARGIN_MS, dayFolderOf, dayOfKey, dayRange, isEmptyRange } from '../../src/sources/s3/layout';
import { parseS3Url } from '../../src/sources/s3/location';
import { isEventObjectKey } from '../../src/sources/s3/scopes';
import { S3Cursors, cursorAfterRead, parseS3Cursors, serialiseS3Cursors } from '../../src/state/s3-cursors';

const ms = (iso: string) => Date.parse(iso);

describe('s3:// URLs', () => {
  test('bucket and prefix, with or without a prefix', () => {
    expect(parseS3Url('s3://org-trail/AWSLogs/o-abc123/')).toEqual({ bucket: 'org-trail', prefix: 'AWSLogs/o-abc123/' });
    expect(parseS3Url('s3://org-trail')).toEqual({ bucket: 'org-trail', prefix: '' });
    expect(parseS3Url('S3://org-trail//AWSLogs')).toEqual({ bucket: 'org-trail', prefix: 'AWSLogs' });
  });

  test('a bucket name S3 would refuse is an error naming the input', () => {
    expect(parseS3Url('s3://Org_Trail/x')).toBeInstanceOf(Error);
    expect(parseS3Url('s3:///AWSLogs')).toBeInstanceOf(Error);
  });
});

describe('date folders of a window', () => {
  test("the start prunes directly; the end gets the delivery margin, which can reach the next day's folder", () => {
    expect(dayRange({ fromMs: ms('2026-11-20T10:00:00Z'), toMs: ms('2026-11-20T12:00:00Z') }, null)).toEqual({ first: '2026/11/20', last: '2026/11/20' });
    expect(dayRange({ fromMs: ms('2026-11-20T00:00:00Z'), toMs: ms('2026-11-20T23:00:00Z') }, null)).toEqual({ first: '2026/11/20', last: '2026/11/21' });
    expect(DELIVERY_MARGIN_MS).toBeGreaterThanOrEqual(15 * 60_000);
  });

  test('an incremental run starts where the last one allows, if that is later than --from', () => {
    expect(dayRange({ fromMs: ms('2026-11-01T00:00:00Z'), toMs: null }, ms('2026-11-19T05:00:00Z'))).toEqual({ first: '2026/11/19', last: null });
    expect(dayRange({ fromMs: ms('2026-11-25T00:00:00Z'), toMs: null }, ms('2026-11-19T05:00:00Z'))).toEqual({ first: '2026/11/25', last: null });
    expect(isEmptyRange(dayRange({ fromMs: null, toMs: ms('2026-11-10T00:00:00Z') }, ms('2026-11-19T00:00:00Z')))).toBe(true);
  });

  test('the day of a key is read from its date folders only', () => {
    const folder = 'AWSLogs/111122223333/CloudTrail/eu-west-1/';
    expect(dayOfKey(`${folder}2026/11/20/f.json.gz`, folder)).toBe('2026/11/20');
    expect(dayOfKey(`${folder}2026/11/f.json.gz`, folder)).toBeNull();
    expect(dayOfKey(`${folder}2026/11/200/f.json.gz`, folder)).toBeNull();
    expect(dayFolderOf(ms('2026-01-02T23:59:59Z'))).toBe('2026/01/02');
  });

  test('digest files, folder markers and other names are not event objects', () => {
    expect(isEventObjectKey('AWSLogs/1/CloudTrail/eu-west-1/2026/11/20/x.json.gz')).toBe(true);
    expect(isEventObjectKey('AWSLogs/1/CloudTrail-Digest/eu-west-1/2026/11/20/x.json.gz')).toBe(false);
    expect(isEventObjectKey('AWSLogs/1/CloudTrail/')).toBe(false);
    expect(isEventObjectKey('exports/notes.txt')).toBe(false);
  });
});

describe('S3 cursors for --state', () => {
  const overlap = 30 * 60_000;
  const stamp = (key: string, iso: string) => ({ key, lastModifiedMs: ms(iso) });

  test('keeps the latest LastModified and the keys within the overlap of it', () => {
    const cursor = cursorAfterRead(undefined, [stamp('a', '2026-11-20T10:00:00Z'), stamp('b', '2026-11-20T11:50:00Z'), stamp('c', '2026-11-20T12:00:00Z')], [], overlap);
    expect(cursor).toEqual({ watermarkMs: ms('2026-11-20T12:00:00Z'), recent: [stamp('b', '2026-11-20T11:50:00Z'), stamp('c', '2026-11-20T12:00:00Z')] });
  });

  test('reads an object that arrived late within the overlap, skips the ones read and the older ones', () => {
    const folder = 's3://b/AWSLogs/1/CloudTrail/eu-west-1/';
    const cursors = new S3Cursors({ [folder]: { watermarkMs: ms('2026-11-20T12:00:00Z'), recent: [stamp('AWSLogs/1/CloudTrail/eu-west-1/2026/11/20/c', '2026-11-20T12:00:00Z')] } }, overlap);
    expect(cursors.shouldRead(folder, stamp('AWSLogs/1/CloudTrail/eu-west-1/2026/11/20/c', '2026-11-20T12:00:00Z'))).toBe(false);
    expect(cursors.shouldRead(folder, stamp('AWSLogs/1/CloudTrail/eu-west-1/2026/11/20/late', '2026-11-20T11:45:00Z'))).toBe(true);
    expect(cursors.shouldRead(folder, stamp('AWSLogs/1/CloudTrail/eu-west-1/2026/11/20/old', '2026-11-20T11:00:00Z'))).toBe(false);
    expect(cursors.shouldRead('s3://b/AWSLogs/1/CloudTrail/us-east-1/', stamp('x', '2020-01-01T00:00:00Z'))).toBe(true);
  });

  test('a failed object holds the watermark back so that it is read next time', () => {
    const failed = stamp('f', '2026-11-20T10:00:00Z');
    const cursor = cursorAfterRead(undefined, [stamp('a', '2026-11-20T09:00:00Z'), failed, stamp('z', '2026-11-20T15:00:00Z')], [failed], overlap)!;
    expect(cursor.watermarkMs).toBe(failed.lastModifiedMs + overlap);
    expect(cursor.recent.map((r) => r.key)).toEqual(['z']);
    const cursors = new S3Cursors({ folder: cursor }, overlap);
    expect(cursors.shouldRead('folder', failed)).toBe(true);
  });

  test('interrupted reads are not remembered; settled ones are', () => {
    const cursors = new S3Cursors({}, overlap);
    cursors.reading('f', stamp('k', '2026-11-20T10:00:00Z'));
    cursors.discardPending();
    cursors.settle();
    expect(cursors.toJSON()).toEqual({});
    cursors.reading('f', stamp('k', '2026-11-20T10:00:00Z'));
    cursors.settle();
    expect(cursors.shouldRead('f', stamp('k', '2026-11-20T10:00:00Z'))).toBe(false);
  });

  test('round-trips through the state file form, keys relative to their folder', () => {
    const cursors = { 's3://b/AWSLogs/1/CloudTrail/eu-west-1/': { watermarkMs: 5, recent: [stamp('AWSLogs/1/CloudTrail/eu-west-1/2026/11/20/k.json.gz', '2026-11-20T10:00:00Z')] } };
    const stored = serialiseS3Cursors(cursors);
    expect(JSON.stringify(stored)).toContain('"2026/11/20/k.json.gz"');
    expect(parseS3Cursors(JSON.parse(JSON.stringify(stored)))).toEqual(cursors);
    expect(parseS3Cursors({ x: [1, [[2, 3]]] })).toMatch(/not \[key, lastModifiedMs\]/);
    expect(parseS3Cursors([])).toBe('"s3" is not an object');
  });
});
