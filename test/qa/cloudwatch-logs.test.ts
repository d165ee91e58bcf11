/**
 * A trail can also deliver to a CloudWatch Logs log group (CloudTrail User Guide, "Sending events to
 * CloudWatch Logs"), one log event per record, its `message` the record as JSON text. Two shapes reach disk:
 * a subscription filter's payload as Firehose writes it to S3 (gzipped `{"messageType":"DATA_MESSAGE",
 * "owner":…,"logGroup":…,"logStream":…,"subscriptionFilters":[…],"logEvents":[{"id","timestamp","message"}]}`
 * objects back to back, with the destination's `CONTROL_MESSAGE` health checks among them), and
 * `aws logs filter-log-events` output (`{"events":[{"logStreamName","timestamp","message","ingestionTime",
 * "eventId"}],"searchedLogStreams":[…]}`). Each log event is its message's record; a health check holds none.
 * And as text whose lines start with the log event's time: a log group exported to S3 (CreateExportTask),
 * gzipped objects of `TIMESTAMP MESSAGE` lines, and `aws logs tail` output in its `detailed` (the default),
 * `short` and `json` formats (awscli/customizations/logs/tail.py: `isoformat(timespec='microseconds')` of the
 * UTC time, the stream, the message; `%Y-%m-%dT%H:%M:%S` and the message; the message pretty-printed, indent 4,
 * on the lines after `TIMESTAMP STREAM`). And Logs Insights results, `aws logs get-query-results` output
 * (`{"results":[[{"field":"@timestamp","value":…},{"field":"@message","value":…},{"field":"@ptr","value":…}]],…}`):
 * each row's `@message` is its record.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

const CHAIN = readFileSync('fixtures/identity/assume-role-chain.ndjson', 'utf8').trimEnd().split('\n');
const GROUP = 'aws-cloudtrail-logs-111122223333-0a1b2c3d';
const STREAM = '111122223333_CloudTrail_us-east-1';

function firehosePayloads(lines: readonly string[]): string {
  const control = { messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [], logEvents: [{ id: '', timestamp: 1717236000000, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }] };
  const data = (part: readonly string[], from: number) => ({
    messageType: 'DATA_MESSAGE',
    owner: '111122223333',
    logGroup: GROUP,
    logStream: STREAM,
    subscriptionFilters: ['to-firehose'],
    logEvents: part.map((message, i) => ({ id: String(38000000000000000000000000000000000000000000000000000000 + from + i), timestamp: Date.parse(JSON.parse(message).eventTime), message })),
  });
  const half = Math.ceil(lines.length / 2);
  return [control, data(lines.slice(0, half), 0), data(lines.slice(half), half)].map((d) => JSON.stringify(d)).join('');
}

function filterLogEventsOutput(lines: readonly string[]): string {
  const events = lines.map((message, i) => ({ logStreamName: STREAM, timestamp: Date.parse(JSON.parse(message).eventTime), message, ingestionTime: 1717236000000 + i, eventId: String(i) }));
  return JSON.stringify({ events, searchedLogStreams: [] }, null, 4) + '\n';
}

/** An export task's object: each log event a line, its ingestion time in ISO 8601 (milliseconds, `Z`), a space, its message. */
function exportTaskLines(lines: readonly string[]): string {
  return lines.map((message, i) => `${new Date(Date.parse(JSON.parse(message).eventTime) + i).toISOString()} ${message}\n`).join('');
}

/** `aws logs tail GROUP` in each of its formats, as a file it was redirected to holds it. */
function tailOutput(lines: readonly string[], format: 'detailed' | 'short' | 'json'): string {
  return lines
    .map((message, i) => {
      const at = new Date(Date.parse(JSON.parse(message).eventTime) + i);
      const micro = at.toISOString().replace('Z', '000+00:00');
      if (format === 'short') return `${at.toISOString().slice(0, 19)} ${message}\n`;
      if (format === 'detailed') return `${micro} ${STREAM} ${message}\n`;
      return `${micro} ${STREAM} \n${JSON.stringify(JSON.parse(message), null, 4)}\n`;
    })
    .join('');
}

function insightsResults(lines: readonly string[]): string {
  const results = lines.map((message, i) => [
    { field: '@timestamp', value: new Date(Date.parse(JSON.parse(message).eventTime)).toISOString().replace('T', ' ').replace('Z', '') },
    { field: '@message', value: message },
    { field: '@ptr', value: `CmUKKgomMTExMTIyMjIzMzMz${i}` },
  ]);
  return JSON.stringify({ results, statistics: { recordsMatched: lines.length, recordsScanned: lines.length, bytesScanned: 4096 }, status: 'Complete' }, null, 4) + '\n';
}

function inputs(): { plain: string; firehose: string; filtered: string; exported: string; exportedText: string; tailed: string; tailedShort: string; tailedJson: string; insights: string } {
  const dir = scratchDir('ctq-qa-cwl-');
  const paths = {
    plain: join(dir, 'plain.ndjson'),
    firehose: join(dir, 'firehose-1-2024-06-01.gz'),
    filtered: join(dir, 'filter-log-events.json'),
    exported: join(dir, '000000.gz'),
    exportedText: join(dir, '000001'),
    tailed: join(dir, 'tail-detailed.log'),
    tailedShort: join(dir, 'tail-short.log'),
    tailedJson: join(dir, 'tail-json.log'),
    insights: join(dir, 'get-query-results.json'),
  };
  writeFileSync(paths.plain, CHAIN.join('\n') + '\n');
  writeFileSync(paths.firehose, gzipSync(firehosePayloads(CHAIN)));
  writeFileSync(paths.filtered, filterLogEventsOutput(CHAIN));
  writeFileSync(paths.exported, gzipSync(exportTaskLines(CHAIN)));
  writeFileSync(paths.exportedText, exportTaskLines(CHAIN));
  writeFileSync(paths.tailed, tailOutput(CHAIN, 'detailed'));
  writeFileSync(paths.tailedShort, tailOutput(CHAIN, 'short'));
  writeFileSync(paths.tailedJson, tailOutput(CHAIN, 'json'));
  writeFileSync(paths.insights, insightsResults(CHAIN));
  return paths;
}

describe('CloudTrail events delivered to CloudWatch Logs', () => {
  it('are read as the records in their messages, health checks skipped, in every mode a plain record is', async () => {
    const { plain, firehose, filtered, exported, exportedText, tailed, tailedShort, insights } = inputs();
    for (const input of [firehose, filtered, exported, exportedText, tailed, tailedShort, insights]) {
      const all = await runCtq(['*:*', '--input', input, '--stats']);
      expect(all.code).toBe(0);
      expect(all.stdout.trimEnd().split('\n')).toEqual(CHAIN); // the message text, as recorded
      expect(JSON.parse(all.stderr.trimEnd().split('\n').at(-1)!)).toMatchObject({ eventsScanned: CHAIN.length, matched: CHAIN.length, badRecords: 0 });
      for (const args of [['s3:*'], ['*:*', '--match', '$.eventName == "AssumeRole"'], ['*:*', '--match', 'chainOf("arn:aws:iam::111122223333:user/alice")'], ['*:*', '--enrich'], ['*:*', '--summary']]) {
        const fromRecords = await runCtq([...args, '--input', plain]);
        const fromLogs = await runCtq([...args, '--input', input]);
        expect(fromLogs.code, args.join(' ')).toBe(0);
        expect(fromRecords.stdout.length, args.join(' ')).toBeGreaterThan(0);
        expect(fromLogs.stdout, `${args.join(' ')} over ${input}`).toBe(fromRecords.stdout);
      }
    }
  });

  it('a log event whose message is not a JSON record is a bad record, named where it is', async () => {
    const dir = scratchDir('ctq-qa-cwl-bad-');
    const file = join(dir, 'events.json');
    writeFileSync(file, `{"events":[\n{"timestamp":1,"message":${JSON.stringify(CHAIN[0])}},\n{"timestamp":2,"message":"START RequestId: 42"}\n]}\n`);
    const result = await runCtq(['*:*', '--input', file]);
    expect(ndjson(result.stdout)).toHaveLength(1);
    expect(result.stderr).toContain(`${file}:3: invalid JSON in message`);
  });

  it('an export read as a stream (stdin, a gzip too large to take whole) gives the same records as the file', async () => {
    const { plain, exported } = inputs();
    const expected = await runCtq(['*:*', '--input', plain, '--match', '$.eventName == "AssumeRole"']);
    // Through a pipe, the gzip is inflated as it comes, in pieces that split lines anywhere.
    const piped = await runCtq(['*:*', '--input', '-', '--match', '$.eventName == "AssumeRole"', '--stats'], { stdin: readFileSync(exported) });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe(expected.stdout);
    expect(JSON.parse(piped.stderr.trimEnd().split('\n').at(-1)!)).toMatchObject({ eventsScanned: CHAIN.length, badRecords: 0 });
  });

  it('a damaged event in an export is a bad record named by the line of the file it is on', async () => {
    const dir = scratchDir('ctq-qa-cwl-bad-');
    const lines = exportTaskLines(CHAIN).split('\n');
    lines[2] = '2024-06-01T10:00:00.000Z {"eventVersion": "1.08", broken';
    const file = join(dir, '000000.gz');
    writeFileSync(file, gzipSync(lines.join('\n')));
    const result = await runCtq(['*:*', '--input', file, '--stats']);
    expect(ndjson(result.stdout)).toHaveLength(CHAIN.length - 1);
    expect(result.stderr).toContain(`${file}:3: damaged record`);
    expect(JSON.parse(result.stderr.trimEnd().split('\n').at(-1)!)).toMatchObject({ eventsScanned: CHAIN.length - 1, badRecords: 1 });
  });

  it('aws logs tail --format json: each message pretty-printed after its timestamp and stream, read as the same events', async () => {
    const { plain, tailedJson } = inputs();
    for (const args of [['*:*'], ['*:*', '--match', '$.eventName == "AssumeRole"'], ['*:*', '--summary']]) {
      const fromRecords = await runCtq([...args, '--input', plain, '--format', 'json']);
      const fromTail = await runCtq([...args, '--input', tailedJson, '--format', 'json', '--stats']);
      expect(fromTail.code, fromTail.stderr).toBe(0);
      expect(JSON.parse(fromTail.stdout), args.join(' ')).toEqual(JSON.parse(fromRecords.stdout));
      expect(JSON.parse(fromTail.stderr.trimEnd().split('\n').at(-1)!)).toMatchObject({ eventsScanned: CHAIN.length, badRecords: 0 });
    }
  });

  it('a Logs Insights row without @message is a bad record that says which field to ask for', async () => {
    const dir = scratchDir('ctq-qa-cwl-bad-');
    const file = join(dir, 'results.json');
    writeFileSync(file, JSON.stringify({ results: [[{ field: '@message', value: CHAIN[0] }], [{ field: 'eventName', value: 'AssumeRole' }, { field: '@ptr', value: 'x' }]], status: 'Complete' }) + '\n');
    const result = await runCtq(['*:*', '--input', file, '--stats']);
    expect(result.stdout).toBe(`${CHAIN[0]}\n`);
    expect(result.stderr).toContain(`${file}:1: Logs Insights result without @message (fields eventName, @ptr): query "fields @message" to read records`);
    expect(JSON.parse(result.stderr.trimEnd().split('\n').at(-1)!)).toMatchObject({ eventsScanned: 1, badRecords: 1 });
  });

  it('a directory walk reads log text without an extension or named .txt, and still skips other text', async () => {
    const dir = scratchDir('ctq-qa-cwl-walk-');
    const half = Math.ceil(CHAIN.length / 2);
    writeFileSync(join(dir, '000000'), exportTaskLines(CHAIN.slice(0, half)));
    writeFileSync(join(dir, 'tail.txt'), tailOutput(CHAIN.slice(half), 'detailed'));
    writeFileSync(join(dir, 'notes.txt'), '2024-06-01T10:00:00Z incident opened\n');
    const result = await runCtq(['*:*', '--input', dir, '--stats']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual(CHAIN);
    expect(result.stderr).toContain(`not read: ${join(dir, 'notes.txt')}`);
    expect(JSON.parse(result.stderr.trimEnd().split('\n').at(-1)!)).toMatchObject({ eventsScanned: CHAIN.length, badRecords: 0, files: 2 });
  });
});
