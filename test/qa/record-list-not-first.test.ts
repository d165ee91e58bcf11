/**
 * Documents that hold their records in a `Records` or `Events` list are read record by record, wherever
 * that list stands among the document's members and however the document is laid out. Real shapes:
 * - the AWS SDK for JavaScript v3 puts `$metadata` first in every response, so `JSON.stringify` of a
 *   LookupEvents response is `{"$metadata":{…},"Events":[{…,"CloudTrailEvent":"…"}],"NextToken":…}`
 *   on one line (LookupEvents API reference: Events, NextToken);
 * - `jq -s . *.json` (or `-cs`) slurps trail files into one array of `{"Records":[…]}` documents.
 * Each of these used to come out as one "event" — the whole document — and every record in it was lost
 * without a word.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

const RECORDS = ['a', 'b', 'c'].map((id) => ({
  eventVersion: '1.09',
  userIdentity: { type: 'IAMUser', principalId: `AIDA${id.toUpperCase()}`, arn: `arn:aws:iam::111122223333:user/${id}`, accountId: '111122223333', accessKeyId: `AKIA${id.toUpperCase()}`, userName: id },
  eventTime: '2024-05-01T10:00:00Z',
  eventSource: 's3.amazonaws.com',
  eventName: 'GetObject',
  awsRegion: 'us-east-1',
  eventID: id,
}));

const sdkV3Response = {
  $metadata: { httpStatusCode: 200, requestId: 'r-1', attempts: 1, totalRetryDelay: 0 },
  Events: RECORDS.map((r) => ({ EventId: r.eventID, EventName: r.eventName, ReadOnly: 'true', CloudTrailEvent: JSON.stringify(r) })),
  NextToken: 'token',
};

async function read(text: string, args: readonly string[] = ['*:*']): Promise<{ ids: string[]; scanned: number; stderr: string }> {
  const file = join(scratchDir('ctq-qa-list-'), 'input.json');
  writeFileSync(file, text);
  const r = await runCtq([...args, '--input', file, '--workers', '1', '--stats']);
  expect(r.code).toBe(0);
  const stats = JSON.parse(r.stderr.trim().split('\n').at(-1)!) as { eventsScanned: number };
  return { ids: ndjson(r.stdout).map((e) => String(e['eventID'])), scanned: stats.eventsScanned, stderr: r.stderr };
}

describe('record lists that are not a document\'s first member, or documents inside a list', () => {
  it('reads a one-line AWS SDK v3 LookupEvents response ($metadata first)', async () => {
    const { ids, scanned } = await read(JSON.stringify(sdkV3Response) + '\n');
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(scanned).toBe(3);
  });

  it('selects by action inside such a response, not on the document', async () => {
    expect((await read(JSON.stringify(sdkV3Response) + '\n', ['s3:GetObject'])).ids).toEqual(['a', 'b', 'c']);
  });

  it('reads two such responses as NDJSON lines', async () => {
    const line = JSON.stringify(sdkV3Response);
    expect((await read(`${line}\n${line}\n`)).ids).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('reads a one-line trail document whose Records list follows another member', async () => {
    expect((await read(JSON.stringify({ delivered: '2024-05-01', Records: RECORDS }) + '\n')).ids).toEqual(['a', 'b', 'c']);
  });

  it('reads trail files slurped by jq -cs into one array, on one line', async () => {
    const { ids, scanned } = await read(JSON.stringify([{ Records: RECORDS }, { Records: RECORDS.slice(0, 1) }]) + '\n');
    expect(ids).toEqual(['a', 'b', 'c', 'a']);
    expect(scanned).toBe(4);
  });

  // With a literal to look for, record spans that lack it are passed over unparsed: the span from a
  // document's `{` to its second record is no record, and was passed over as one.
  it('reads trail files slurped by jq -cs when a --match literal rules records out', async () => {
    const text = JSON.stringify([{ Records: RECORDS }, { Records: RECORDS.slice(0, 1) }]) + '\n';
    const { ids, scanned, stderr } = await read(text, ['*:*', '--match', '$.errorCode == "NoSuchCode"']);
    expect(ids).toEqual([]);
    expect(scanned).toBe(4);
    expect(stderr).not.toContain('ctq:');
  });

  // A `{…}` line was taken as one record when its first key was no list's: ruled out by a pre-filter, its
  // records were counted as one (nothing could match, but the count said fewer events were read). The real
  // shapes are told by their first key; a document whose first key is any other (`delivered` above) still is not.
  it.each([
    ['a literal', ['*:*', '--match', '$.errorCode == "NoSuchCode"']],
    ['the member gate', ['*:*', '--match', '$.eventName == "PutObject"']],
    ['the selection gate', ['iam:*']],
  ])('counts every record of such documents that %s rules out', async (_, args) => {
    const cwl = {
      messageType: 'DATA_MESSAGE',
      owner: '111122223333',
      logGroup: 'aws-cloudtrail-logs',
      logStream: '111122223333_CloudTrail_us-east-1',
      subscriptionFilters: ['all'],
      logEvents: RECORDS.map((r, i) => ({ id: String(i), timestamp: 1714557600000, message: JSON.stringify(r) })),
    };
    const lines = [sdkV3Response, { NextToken: 't', Events: sdkV3Response.Events }, cwl, { events: RECORDS.map((r, i) => ({ logStreamName: 's', timestamp: 1, message: JSON.stringify(r), eventId: String(i) })) }];
    const { ids, scanned, stderr } = await read(lines.map((line) => JSON.stringify(line)).join('\n') + '\n', args);
    expect(ids).toEqual([]);
    expect(scanned).toBe(12);
    expect(stderr).not.toContain('ctq:');
  });

  it('reads trail files slurped by jq -s, pretty-printed', async () => {
    expect((await read(JSON.stringify([{ Records: RECORDS }, { Records: RECORDS.slice(0, 1) }], null, 2) + '\n')).ids).toEqual(['a', 'b', 'c', 'a']);
  });

  // The identity graph's first pass reads escape-free records from their bytes; a document is not one.
  it('finds the sessions of a one-line trail document whose Records list is not first (chainOf)', async () => {
    const text = JSON.stringify({ delivered: '2024-05-01', Records: RECORDS }) + '\n';
    expect((await read(text, ['*:*', '--match', 'chainOf("arn:aws:iam::111122223333:user/b")'])).ids).toEqual(['b']);
  });

  it('follows identities inside such a response (--enrich)', async () => {
    const file = join(scratchDir('ctq-qa-list-'), 'input.json');
    writeFileSync(file, JSON.stringify(sdkV3Response) + '\n');
    const r = await runCtq(['*:*', '--input', file, '--workers', '1', '--enrich']);
    expect(ndjson(r.stdout).map((e) => (e['_ctq'] as { session: string }).session)).toEqual(RECORDS.map((e) => `iam-user:${e.userIdentity.arn}`));
  });
});
