/**
 * Kinesis Data Firehose writes objects named `<stream>-<version>-<YYYY-MM-DD-HH-MM-SS>-<id>`, without an
 * extension unless it compresses them itself: CloudWatch Logs subscription payloads (gzipped by CloudWatch Logs)
 * and EventBridge events from CloudTrail reach S3, and then a synced folder, so. A directory walk read only
 * `.json`/`.jsonl`/`.ndjson`/`.log`/`.gz` names and skipped them (said in the closing note); it now reads a file
 * without an extension when it starts as gzip or JSON does, and still skips a LICENSE or a Makefile.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ndjson, runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

const RECORDS = readFileSync('fixtures/identity/assume-role-chain.ndjson', 'utf8').trimEnd().split('\n');

describe('a directory walk and files without an extension', () => {
  it('reads those that start as gzip or JSON (Firehose objects) and skips the rest, saying so', async () => {
    const root = scratchDir('ctq-qa-firehose-');
    const hour = join(root, '2024', '06', '01', '10');
    mkdirSync(hour, { recursive: true });
    const envelopes = RECORDS.map((line) => JSON.stringify({ version: '0', 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.sts', detail: JSON.parse(line) }));
    const half = Math.ceil(envelopes.length / 2);
    writeFileSync(join(hour, 'cloudtrail-events-1-2024-06-01-10-00-00-4b3c2d1e'), envelopes.slice(0, half).join(''));
    writeFileSync(join(hour, 'cloudtrail-events-1-2024-06-01-10-05-00-9f8e7d6c'), gzipSync(envelopes.slice(half).join('')));
    writeFileSync(join(root, 'LICENSE'), 'Apache License\nVersion 2.0\n');
    writeFileSync(join(root, 'Makefile'), 'all:\n\ttrue\n');
    const result = await runCtq(['*:*', '--input', root, '--stats']);
    expect(result.code).toBe(0);
    expect(ndjson(result.stdout).map((e) => e.eventID)).toEqual(RECORDS.map((line) => (JSON.parse(line) as { eventID: string }).eventID));
    expect(result.stderr).toContain('not read:');
    expect(result.stderr).toContain('LICENSE');
    expect(result.stderr).toContain('Makefile');
    expect(result.stderr).not.toContain('cloudtrail-events-1-');
  });
});
