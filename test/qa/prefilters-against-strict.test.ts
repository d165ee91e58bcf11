/**
 * The pre-filters a lenient run puts before `JSON.parse` (the literal, the member gate, the selection gate)
 * may only ever rule out records that cannot match: a run with them must find exactly what `--strict` finds
 * (which parses every record). Checked on records written every way the reader takes them — compact, spaced,
 * pretty-printed in a trail document, CRLF lines, keys and values spelled with `\uXXXX` and `\/`, a member of
 * the same name nested, duplicate members, lookup-events items, EventBridge envelopes, CloudWatch Logs
 * payloads; and, in files of their own, a CloudWatch Logs export's timestamped lines and Logs Insights
 * results — whatever those writers'
 * inputs look like to a byte search.
 */
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

interface Event {
  [key: string]: unknown;
}

const SOURCES = [
  ['iam.amazonaws.com', 'CreateUser'],
  ['iam.amazonaws.com', 'DeleteRole'],
  ['s3.amazonaws.com', 'GetObject'],
  ['s3.amazonaws.com', 'PutObject'],
  ['sts.amazonaws.com', 'AssumeRole'],
  ['ec2.amazonaws.com', 'DescribeInstances'],
] as const;

function events(): Event[] {
  return Array.from({ length: 240 }, (_, i) => {
    const [eventSource, eventName] = SOURCES[i % SOURCES.length]!;
    const event: Event = {
      eventVersion: '1.09',
      userIdentity: { type: i % 5 === 0 ? 'Root' : 'IAMUser', arn: `arn:aws:iam::111122223333:user/u${i % 7}`, accountId: '111122223333' },
      eventTime: '2024-05-01T10:00:00Z',
      eventSource,
      eventName,
      awsRegion: i % 2 ? 'us-east-1' : 'eu-west-1',
      readOnly: i % 5 < 2,
      eventID: `id-${i}`,
    };
    // Every writing style below (i % 8) gets both error codes and none.
    if (i % 3 !== 2) event.errorCode = i % 3 === 0 ? 'AccessDenied' : 'Client.UnauthorizedOperation';
    // The same name nested, with the value a query looks for, where the top-level member differs.
    if (i % 9 === 0) event.requestParameters = { readOnly: !event.readOnly, errorCode: 'AccessDenied', eventName: 'GetObject' };
    return event;
  });
}

/** `\uXXXX` for every letter of every key and string (as some producers write non-ASCII, here everything), and `/` as `\/`. */
function escaped(text: string): string {
  return text.replace(/"((?:[^"\\]|\\.)*)"/g, (_, inner: string) => `"${inner.replace(/[A-Za-z]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\//g, '\\/')}"`);
}

/** The events written in every style, each event once; returns the input's text. */
function written(all: readonly Event[]): string {
  const parts: string[] = [];
  const groups = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => all.filter((_, i) => i % 8 === k));
  parts.push(groups[0]!.map((e) => JSON.stringify(e)).join('\n'));
  parts.push(groups[1]!.map((e) => JSON.stringify(e).replace(/":/g, '" : ').replace(/,"/g, ', "')).join('\n'));
  parts.push(JSON.stringify({ Records: groups[2] }, null, 2));
  parts.push(groups[3]!.map((e) => JSON.stringify(e)).join('\r\n'));
  parts.push(groups[4]!.map((e) => escaped(JSON.stringify(e))).join('\n'));
  // Duplicate members: JSON.parse keeps the last, and so must every pre-filter's verdict.
  parts.push(groups[5]!.map((e) => JSON.stringify(e).replace('{', `{"readOnly":${!e.readOnly},"eventName":"Nope","errorCode":"AccessDenied",`)).join('\n'));
  parts.push(groups[6]!.map((e) => JSON.stringify({ EventId: e.eventID, EventName: e.eventName, CloudTrailEvent: JSON.stringify(e) })).join('\n'));
  parts.push(
    groups[7]!
      .map((e, i) =>
        i % 2
          ? JSON.stringify({ version: '0', id: `x${i}`, 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.iam', account: '111122223333', time: '2024-05-01T10:00:00Z', region: 'us-east-1', resources: [], detail: e })
          : JSON.stringify({ messageType: 'DATA_MESSAGE', owner: '111122223333', logGroup: 'g', logStream: 's', subscriptionFilters: ['f'], logEvents: [{ id: `${i}`, timestamp: 1, message: JSON.stringify(e) }] }),
      )
      .join('\n'),
  );
  return parts.join('\n') + '\n';
}

const QUERIES: readonly (readonly string[])[] = [
  ['*:*', '--match', '$.readOnly == false'],
  ['*:*', '--match', '$.errorCode == "AccessDenied"'],
  ['*:*', '--match', '$.errorCode endswith "Denied"'],
  ['*:*', '--match', '$.eventName in ["GetObject", "CreateUser"] and $.readOnly == true'],
  ['*:*', '--match', '$.userIdentity.type == "Root" or $.errorCode == "AccessDenied"'],
  ['*:*', '--match', '$.awsRegion == "eu-west-1"', '--match', '$.readOnly == false'],
  ['iam:*'],
  ['s3:Get*', 'sts:AssumeRole'],
  ['iam:Create*', '--match', '$.userIdentity.arn == "arn:aws:iam::111122223333:user/u3"'],
];

describe('pre-filters against --strict', () => {
  const all = events();
  const file = join(scratchDir('ctq-prefilters-'), 'input.json');
  writeFileSync(file, written(all));

  // An export's lines start with a timestamp that some needles (`2024`, `:`) also match.
  const exported = join(scratchDir('ctq-prefilters-'), '000000.gz');
  writeFileSync(exported, gzipSync(all.map((e, i) => `2024-05-01T10:00:${String(i % 60).padStart(2, '0')}.000Z ${JSON.stringify(e)}\n`).join('')));

  // Logs Insights rows: each record a JSON string in a list of fields.
  const insights = join(scratchDir('ctq-prefilters-'), 'results.json');
  writeFileSync(insights, JSON.stringify({ results: all.map((e, i) => [{ field: '@timestamp', value: `t${i}` }, { field: '@message', value: JSON.stringify(e) }]), status: 'Complete' }, null, 4) + '\n');

  it.each(QUERIES.map((query) => [query.join(' '), query] as const))('%s: the same events, and every event counted', async (_, query) => {
    for (const input of [file, exported, insights]) await sameAsStrict(query, input);
  });

  async function sameAsStrict(query: readonly string[], file: string): Promise<void> {
    const lenient = await runCtq([...query, '--input', file, '--stats', '--workers', '1']);
    const strict = await runCtq([...query, '--input', file, '--stats', '--workers', '1', '--strict']);
    expect(strict.code, strict.stderr).toBe(0);
    expect(lenient.code, lenient.stderr).toBe(0);
    const ids = (stdout: string) => ndjson(stdout).map((e) => String(e['eventID'])).sort();
    expect(ids(lenient.stdout)).toEqual(ids(strict.stdout));
    const statsOf = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1)!) as { eventsScanned: number };
    expect(statsOf(lenient.stderr).eventsScanned).toBe(all.length);
    expect(statsOf(strict.stderr).eventsScanned).toBe(all.length);
  }

  it('every record, taken from its bytes unparsed (`*:*` alone), is what parsing every record gives: output, notes and counts', async () => {
    // A --match that every event passes (and no literal can rule any out) makes the scan parse each record.
    const parsed = ['--match', 'not ($.eventName == "Never-Such-An-Event")'];
    for (const input of [file, exported, insights, 'fixtures/bad/damaged-lines.ndjson', 'fixtures/bad/truncated-trail.json', 'fixtures/real', 'fixtures/lookup-events.json']) {
      for (const workers of ['1', '2']) {
        const unparsed = await runCtq(['*:*', '--input', input, '--stats', '--workers', workers]);
        const whole = await runCtq(['*:*', ...parsed, '--input', input, '--stats', '--workers', workers]);
        expect(unparsed.stdout.length, input).toBeGreaterThan(0);
        expect(unparsed.stdout, input).toBe(whole.stdout);
        expect(unparsed.stderr, input).toBe(whole.stderr);
        expect(unparsed.code, input).toBe(whole.code);
      }
    }
  });

  it('is not vacuous: the queries match some events and rule others out', async () => {
    const matched = await Promise.all(QUERIES.map(async (query) => ndjson((await runCtq([...query, '--input', file, '--strict'])).stdout).length));
    expect(matched.every((n) => n > 0 && n < all.length), String(matched)).toBe(true);
  });
});
