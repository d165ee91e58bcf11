/**
 * The CLI over local inputs, run as the real binary on fixtures/. Expected results are computed
 * independently from fixtures/events.ndjson with plain JavaScript, never copied from ctq's output.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';

const events = readFileSync('fixtures/events.ndjson', 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Record<string, any>);

const ids = (rows: Record<string, unknown>[]) => rows.map((r) => String(r.eventID)).sort();
const expectedIds = (keep: (e: Record<string, any>) => boolean) => events.filter(keep).map((e) => String(e.eventID)).sort();

const s3OrDynamoGetDenied = (e: Record<string, any>) =>
  ((e.eventSource === 's3.amazonaws.com' || e.eventSource === 'dynamodb.amazonaws.com') && /^get/i.test(e.eventName)) &&
  e.errorCode === 'AccessDenied';

describe('ctq over local inputs', () => {
  it('answers the README query on the trail archive, skipping the digest file', async () => {
    const result = await runCtq(["s3:Get*", "dynamodb:Get*", '--input', 'fixtures/AWSLogs', '--match', '$.errorCode == "AccessDenied"', '--stats']);
    expect(result.code).toBe(0);
    const want = expectedIds(s3OrDynamoGetDenied);
    expect(want.length).toBeGreaterThan(0);
    expect(ids(ndjson(result.stdout))).toEqual(want);
    const stats = JSON.parse(result.stderr.trim().split('\n').at(-1)!);
    expect(Object.keys(stats)).toEqual(['eventsScanned', 'matched', 'badRecords', 'files', 'apiCalls', 'pages', 'throttled']);
    expect(stats).toMatchObject({ eventsScanned: events.length, matched: want.length, badRecords: 0, apiCalls: 0, pages: 0, throttled: 0 });
    expect(stats.files).toBe(94); // the trail files, not the digest
  });

  it('gives the same answer from NDJSON, lookup-events output and stdin', async () => {
    const args = ['*:*', '--match', '$.readOnly == false'];
    const fromNdjson = await runCtq([...args, '--input', 'fixtures/events.ndjson']);
    const fromStdin = await runCtq([...args, '--input', '-'], { stdin: readFileSync('fixtures/events.ndjson') });
    expect(ids(ndjson(fromNdjson.stdout))).toEqual(expectedIds((e) => e.readOnly === false));
    expect(fromStdin.stdout).toBe(fromNdjson.stdout);

    const lookup = JSON.parse(readFileSync('fixtures/lookup-events.json', 'utf8')) as { Events: { CloudTrailEvent: string }[] };
    const fromLookup = await runCtq([...args, '--input', '-'], { stdin: readFileSync('fixtures/lookup-events.json') });
    expect(fromLookup.code).toBe(0);
    const inner = lookup.Events.map((e) => JSON.parse(e.CloudTrailEvent) as Record<string, any>);
    expect(ids(ndjson(fromLookup.stdout))).toEqual(inner.filter((e) => e.readOnly === false).map((e) => String(e.eventID)).sort());
    // Written exactly as CloudTrail recorded it: the CloudTrailEvent string itself.
    const firstOut = fromLookup.stdout.split('\n')[0];
    expect(lookup.Events.map((e) => e.CloudTrailEvent)).toContain(firstOut);
  });

  it('pre-filters startswith/endswith the same on an event carried as JSON text (lookup-events output)', async () => {
    // The quote such a needle holds is written \" inside CloudTrailEvent; errorCode is only there, not in the wrapper.
    const lookup = JSON.parse(readFileSync('fixtures/lookup-events.json', 'utf8')) as { Events: { CloudTrailEvent: string }[] };
    const inner = lookup.Events.map((e) => JSON.parse(e.CloudTrailEvent) as Record<string, any>);
    const items = lookup.Events.map((e) => JSON.stringify(e)).join('\n') + '\n';
    for (const [match, keep] of [
      ['$.errorCode endswith "Denied"', (e: Record<string, any>) => String(e.errorCode ?? '').endsWith('Denied')],
      ['$.errorCode regex "^Access"', (e: Record<string, any>) => String(e.errorCode ?? '').startsWith('Access')],
    ] as const) {
      const want = inner.filter(keep).map((e) => String(e.eventID)).sort();
      expect(want.length).toBeGreaterThan(0);
      const fromDocument = await runCtq(['*:*', '--input', 'fixtures/lookup-events.json', '--match', match]);
      const fromItems = await runCtq(['*:*', '--input', '-', '--match', match], { stdin: items });
      expect(ids(ndjson(fromDocument.stdout)), match).toEqual(want);
      expect(ids(ndjson(fromItems.stdout)), match).toEqual(want);
    }
  });

  it('writes NDJSON lines verbatim as read', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/events.ndjson']);
    expect(result.stdout).toBe(readFileSync('fixtures/events.ndjson', 'utf8'));
  });

  it('matches IAM actions case-insensitively and ORs them', async () => {
    const result = await runCtq(['S3:getobject', 'iam:*ROLE*', '--input', 'fixtures/events.ndjson']);
    expect(ids(ndjson(result.stdout))).toEqual(
      expectedIds((e) => (e.eventSource === 's3.amazonaws.com' && e.eventName === 'GetObject') || (e.eventSource === 'iam.amazonaws.com' && /role/i.test(e.eventName))),
    );
  });

  it('maps a service prefix that differs from its eventSource host (cloudwatch → monitoring)', async () => {
    const result = await runCtq(['cloudwatch:Put*', '--input', 'fixtures/events.ndjson']);
    const want = expectedIds((e) => e.eventSource === 'monitoring.amazonaws.com' && e.eventName.startsWith('Put'));
    expect(want.length).toBeGreaterThan(0);
    expect(ids(ndjson(result.stdout))).toEqual(want);
  });

  it('warns about an unknown service prefix instead of silently returning nothing', async () => {
    const result = await runCtq(['nosuchservice:*', '--input', 'fixtures/events.ndjson']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/warning: .*nosuchservice/);
  });

  it('filters on --from/--to in UTC, both spellings', async () => {
    const from = '2026-11-18 12:00:00';
    const to = '2026-11-19T06:00:00Z';
    const result = await runCtq(['*:*', '--input', 'fixtures/AWSLogs', '--from', from, '--to', to]);
    const lo = Date.parse('2026-11-18T12:00:00Z');
    const hi = Date.parse(to);
    const want = expectedIds((e) => Date.parse(e.eventTime) >= lo && Date.parse(e.eventTime) <= hi);
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(events.length);
    expect(ids(ndjson(result.stdout))).toEqual(want);
  });

  it('rejects a malformed time as a usage error', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/events.ndjson', '--from', 'yesterday-ish']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/--from: cannot read 'yesterday-ish' as a time/);
  });

  it('reports an expression error with a caret, exit 2, before reading anything', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/no-such-file', '--match', '$.errorCode == ']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n');
    const caretLine = lines.find((l) => /^\s*\^/.test(l));
    expect(caretLine).toBeDefined();
    expect(result.stderr).toMatch(/column \d+/);
    expect(result.stderr).not.toMatch(/no-such-file/); // nothing was read
  });

  it('names the --match that is wrong when there are several', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/events.ndjson', '--match', '$.readOnly', '--match', 'nosuch(1)']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--match #2/);
  });

  it('reports a missing input and fails the run', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/no-such-file.json', '--input', 'fixtures/events.ndjson']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no-such-file\.json: no such file/);
    expect(ndjson(result.stdout)).toHaveLength(events.length); // the other input still came out
  });

  it('shows help with examples on --help', async () => {
    const result = await runCtq(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Usage: ctq \[options\] <IAM_ACTION\.\.\.>/);
    expect(result.stdout).toMatch(/Examples:/);
  });

  it('prints the package version on --version and -V, and nothing else', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = await runCtq([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
      expect(result.stderr).toBe('');
    }
  });

  it('requires at least one IAM action', async () => {
    const result = await runCtq(['--input', 'fixtures/events.ndjson']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('files a directory walk passes over', () => {
  it('are named with the reason of each: names that hold no events, and links to directories (not followed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctq-walk-'));
    try {
      mkdirSync(join(dir, 'trail'));
      mkdirSync(join(dir, 'elsewhere'));
      copyFileSync('fixtures/events.ndjson', join(dir, 'trail', 'events.ndjson'));
      copyFileSync('fixtures/events.ndjson', join(dir, 'elsewhere', 'more.ndjson'));
      writeFileSync(join(dir, 'trail', 'notes.txt'), 'not events\n');
      symlinkSync(resolve(dir, 'elsewhere'), join(dir, 'trail', 'linked'));
      symlinkSync(resolve(dir, 'elsewhere'), join(dir, 'trail', 'linked.json'));
      const result = await runCtq(['*:*', '--input', join(dir, 'trail')]);
      expect(result.code).toBe(0);
      expect(ndjson(result.stdout)).toHaveLength(events.length);
      const notes = result.stderr.trimEnd().split('\n');
      expect(notes).toContain(`ctq: not read: ${join(dir, 'trail', 'notes.txt')} (in a directory, only .json, .jsonl, .ndjson, .log and .gz files, and files without an extension or named .txt that start as JSON, gzip or CloudWatch Logs text, are read; name a file to read it)`);
      expect(notes).toContain(`ctq: not read, 2 files (a symbolic link to a directory, which a walk does not follow; name it to read it):`);
      expect(notes).toContain(`ctq:   not read: ${join(dir, 'trail', 'linked')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
