/**
 * `--rules` over LookupEvents, against ctq's emulator with the real SDK over HTTP: the planner merges
 * the rules' lookups (a lookup two rules need is made once, never per rule), and the answer is the
 * same as the same rules over the same events read locally.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import type { JsonObject } from '../../src/language/json';
import { syntheticEvents } from '../support/synthetic-events';
import { runCtq } from '../support/run-ctq';

const NOW = Date.now();
const REGIONS = ['us-east-1', 'eu-west-1'];
const events: JsonObject[] = syntheticEvents({ count: 400, seed: 12, regions: REGIONS, start: new Date(NOW - 2 * 86_400_000), end: new Date(NOW - 60_000), accessDeniedRate: 0.1 });
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'AKIAEMULATOR', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1', AWS_PROFILE: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };

let emulator: RunningEmulator;
let dir = '';
beforeAll(async () => {
  emulator = await startEmulator({ data: { kind: 'events', events }, rate: 0, log: () => {} });
  dir = mkdtempSync(join(tmpdir(), 'ctq-rules-api-'));
  writeFileSync(join(dir, 'events.ndjson'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(
    join(dir, 'rules.yml'),
    [
      'rules:',
      '  - { id: iam-writes, title: IAM writes, actions: "iam:*", match: $.readOnly == false }',
      '  - { id: iam-denied, title: IAM denied, actions: "iam:*", match: $.errorCode == "AccessDenied" }',
      '  - { id: new-keys, title: New access keys, actions: "iam:CreateAccessKey" }',
      '  - { id: acl, title: Bucket ACL changes, actions: "s3:PutBucketAcl" }',
      '  - { id: run, title: Instances started, match: $.eventName == "RunInstances" }',
    ].join('\n') + '\n',
  );
  writeFileSync(join(dir, 'wide.yml'), 'rules:\n  - { id: denied, title: Denied anywhere, match: $.errorCode == "AccessDenied" }\n  - { id: acl, title: ACL, actions: "s3:PutBucketAcl" }\n');
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const api = (args: string[]) => runCtq([...args, '--regions', REGIONS.join(','), '--endpoint-url', emulator.url], { env: AWS_ENV });
const lookups = (explained: string, attribute: string) => explained.split('\n').filter((line) => line.includes(attribute)).length;

describe('--rules with LookupEvents', () => {
  it('merges the rules\' lookups: one per attribute and region, shared by every rule that needs it', async () => {
    const result = await api(['--rules', join(dir, 'rules.yml'), '--explain']);
    expect(result.code).toBe(0);
    const plan = result.stderr;
    // iam-writes, iam-denied and new-keys all need IAM: one EventSource scan per region serves them.
    expect(lookups(plan, 'EventSource=iam.amazonaws.com')).toBe(REGIONS.length);
    expect(lookups(plan, 'EventName=CreateAccessKey')).toBe(0);
    expect(lookups(plan, 'EventName=PutBucketAcl')).toBe(REGIONS.length);
    expect(lookups(plan, 'EventName=RunInstances')).toBe(REGIONS.length);
    expect(plan).not.toMatch(/full scan|\(all events\)|\*:\*/);
  });

  it('returns what the same rules give over the same events read locally, with fewer calls than a full scan', async () => {
    const remote = await api(['--rules', join(dir, 'rules.yml'), '--stats']);
    const local = await runCtq(['--rules', join(dir, 'rules.yml'), '--input', join(dir, 'events.ndjson')]);
    expect(remote.code).toBe(0);
    const sorted = (text: string) => text.trim().split('\n').sort();
    expect(sorted(remote.stdout)).toEqual(sorted(local.stdout));
    expect(sorted(remote.stdout).length).toBeGreaterThan(20);
    const full = await api(['*:*', '--stats']);
    const calls = (stderr: string) => JSON.parse(stderr.trim().split('\n').at(-1)!).apiCalls as number;
    expect(calls(remote.stderr)).toBeLessThan(calls(full.stderr));
  });

  it('a rule that needs every event makes one full scan per region, shared by all rules', async () => {
    const result = await api(['--rules', join(dir, 'wide.yml'), '--explain']);
    const lines = result.stderr.split('\n').filter((line) => /us-east-1|eu-west-1/.test(line));
    expect(lookups(result.stderr, 'EventName=PutBucketAcl')).toBe(0);
    expect(lines.length).toBeGreaterThanOrEqual(REGIONS.length);
    const remote = await api(['--rules', join(dir, 'wide.yml')]);
    const local = await runCtq(['--rules', join(dir, 'wide.yml'), '--input', join(dir, 'events.ndjson')]);
    expect(remote.stdout.trim().split('\n').sort()).toEqual(local.stdout.trim().split('\n').sort());
  });
});

describe('thresholds over LookupEvents', () => {
  it('alert for the same keys as over the same events read locally (newest-first pages counted exactly)', async () => {
    const threshold = ['--match', '$.awsRegion == "us-east-1"', '--count-by', '$.userIdentity.arn', '--threshold', '8', '--window', '6h'];
    const remote = await runCtq(['*:*', ...threshold, '--region', 'us-east-1', '--endpoint-url', emulator.url], { env: AWS_ENV });
    const local = await runCtq(['*:*', ...threshold, '--input', join(dir, 'events.ndjson')]);
    expect(remote.code).toBe(0);
    const keys = (text: string) => [...new Set(text.trim().split('\n').filter(Boolean).map((line) => JSON.stringify((JSON.parse(line) as { key: unknown }).key)))].sort();
    expect(keys(local.stdout).length).toBeGreaterThan(0);
    expect(keys(remote.stdout)).toEqual(keys(local.stdout));
  });
});
