/** --format and --summary through the real binary; summaries checked against jq's group_by. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';

function jq(filter: string, file: string): unknown {
  return JSON.parse(execFileSync('jq', ['-s', filter, file], { encoding: 'utf8' }));
}

describe('--format', () => {
  it('json writes one array holding exactly the NDJSON events', async () => {
    const lines = await runCtq(['iam:*', '--input', 'fixtures/events.ndjson']);
    const array = await runCtq(['iam:*', '--input', 'fixtures/events.ndjson', '--format', 'json']);
    expect(JSON.parse(array.stdout)).toEqual(ndjson(lines.stdout));
    const none = await runCtq(['iam:NoSuchThing', '--input', 'fixtures/events.ndjson', '--format', 'json']);
    expect(JSON.parse(none.stdout)).toEqual([]);
  });

  it('table never lets control characters or bidi marks from event data reach the terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctq-hostile-'));
    try {
      const hostile = {
        eventVersion: '1.08',
        eventTime: '2026-11-20T00:00:00Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateUser\u001b[2J\u001b]0;pwned\u0007',
        awsRegion: 'us-east-1\r\nfake line',
        sourceIPAddress: '\u202egnp.exe',
        userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::1:user/\u001b[31mred\u001b[0m' },
        eventID: 'hostile-1',
        errorCode: 'x'.repeat(500),
      };
      const file = join(dir, 'hostile.ndjson');
      writeFileSync(file, JSON.stringify(hostile) + '\n');
      const table = await runCtq(['*:*', '--input', file, '--format', 'table'], { env: { COLUMNS: '100' } });
      expect(table.code).toBe(0);
      // Nothing but printable text and the newlines ending rows.
      expect(table.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(table.stdout.trim().split('\n')).toHaveLength(2); // header + one row: the CRLF did not split it
      for (const line of table.stdout.trim().split('\n')) expect(line.length).toBeLessThanOrEqual(100);
      // Wide enough to show every value: the escapes are there, visible.
      const wide = await runCtq(['*:*', '--input', file, '--format', 'table'], { env: { COLUMNS: '1000' } });
      expect(wide.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(wide.stdout).toContain('\\x1b[2J');
      expect(wide.stdout).toContain('\\u202egnp.exe');
      expect(wide.stdout).toContain('us-east-1\\r\\nfake line');
      const summary = await runCtq(['*:*', '--input', file, '--summary', '--format', 'table'], { env: { COLUMNS: '100' } });
      expect(summary.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--summary', () => {
  it('matches an independent jq group_by on the fixtures', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/events.ndjson', '--summary']);
    expect(result.code).toBe(0);
    const rows = ndjson(result.stdout);
    const expected = jq(
      'group_by([.eventSource, .eventName]) | map({eventSource: .[0].eventSource, eventName: .[0].eventName, occurrences: length, failures: map(select(.errorCode != null)) | length, firstSeen: (map(.eventTime) | min), lastSeen: (map(.eventTime) | max), regions: (map(.awsRegion) | unique)})',
      'fixtures/events.ndjson',
    ) as Record<string, unknown>[];
    const pick = (r: Record<string, unknown>) => ({ eventSource: r.eventSource, eventName: r.eventName, occurrences: r.occurrences, failures: r.failures, firstSeen: r.firstSeen, lastSeen: r.lastSeen, regions: r.regions });
    const key = (r: Record<string, unknown>) => `${r.eventSource} ${r.eventName}`;
    expect(rows.map(pick).sort((a, b) => key(a).localeCompare(key(b)))).toEqual(expected.map(pick).sort((a, b) => key(a).localeCompare(key(b))));
    // Writes first, then by count.
    const firstRead = rows.findIndex((r) => r.readOnly === true);
    expect(rows.slice(firstRead).every((r) => r.readOnly === true)).toBe(true);
    expect(Object.keys(rows[0]!)).toEqual([
      'eventSource', 'eventName', 'occurrences', 'successes', 'failures', 'errorCodes', 'firstSeen', 'lastSeen', 'regions',
      'sessions', 'readOnly', 'sensitive', 'sampleRequestParameters', 'sampleResources', 'sampleErrorMessage', 'deniedTarget',
      'deniedTargets', 'identities',
    ]);
  });

  it('groups by other JSONPaths with --group-by', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/events.ndjson', '--summary', '--group-by', '$.userIdentity.type,$.awsRegion']);
    const rows = ndjson(result.stdout);
    const expected = jq('group_by([.userIdentity.type, .awsRegion]) | map({k: [.[0].userIdentity.type, .[0].awsRegion], n: length})', 'fixtures/events.ndjson') as { k: string[]; n: number }[];
    expect(rows.map((r) => ({ k: [r['$.userIdentity.type'], r['$.awsRegion']], n: r.occurrences })).sort((a, b) => String(a.k).localeCompare(String(b.k)))).toEqual(
      expected.sort((a, b) => String(a.k).localeCompare(String(b.k))),
    );
  });

  const DATASET = '../shared/datasets/stratus-detonations';
  it.skipIf(!existsSync(DATASET))('matches jq on the real Stratus dataset (valid files)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctq-real-'));
    try {
      const records = ['aws.credential-access.secretsmanager-retrieve-secrets.json', 'aws.defense-evasion.cloudtrail-delete.json', 'aws.exfiltration.ec2-share-ebs-snapshot.json'].flatMap(
        (f) => (JSON.parse(readFileSync(join(DATASET, f), 'utf8')) as { Records: unknown[] }).Records,
      );
      const file = join(dir, 'real.ndjson');
      writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      const result = await runCtq(['*:*', '--input', DATASET, '--summary']);
      const rows = ndjson(result.stdout).map((r) => ({ s: r.eventSource, n: r.eventName, c: r.occurrences, f: r.failures }));
      const expected = (jq('group_by([.eventSource, .eventName]) | map({s: .[0].eventSource, n: .[0].eventName, c: length, f: (map(select(.errorCode != null)) | length)})', file) as typeof rows);
      // The damaged file's three salvaged records are in ctq's answer too; compare the groups jq can see.
      for (const want of expected) {
        const got = rows.find((r) => r.s === want.s && r.n === want.n);
        expect(got).toBeDefined();
        expect(got!.c as number).toBeGreaterThanOrEqual(want.c as number);
      }
      const secrets = rows.find((r) => r.n === 'GetSecretValue');
      expect(secrets?.c).toBe(expected.find((r) => r.n === 'GetSecretValue')?.c);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
