/**
 * ctq against the project's CloudTrail emulator, as a user runs it: the real binary, the real SDK
 * client over HTTP, the emulator's documented throttle on unless a test says otherwise.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import type { JsonObject } from '../../src/language/json';
import { syntheticEvents } from '../support/synthetic-events';
import { CTQ, REPO, ndjson, runCtq } from '../support/run-ctq';

const NOW = Date.now();
// IAM is a global service: CloudTrail records its events in us-east-1 whatever Region the caller used
// (cloudtrail-concepts.html#cloudtrail-concepts-global-service-events), and ctq looks them up there only.
const events: JsonObject[] = syntheticEvents({ count: 600, seed: 5, regions: ['us-east-1', 'eu-west-1'], start: new Date(NOW - 3 * 86_400_000), end: new Date(NOW - 60_000) }).map(
  (e) => (e.eventSource === 'iam.amazonaws.com' ? { ...e, awsRegion: 'us-east-1' } : e),
);
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'AKIAEMULATOR', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1', AWS_PROFILE: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ data: { kind: 'events', events }, rate: 0, log: () => {} });
});
afterAll(() => emulator.close());

const idsWhere = (keep: (e: JsonObject) => boolean) => events.filter(keep).map((e) => String(e.eventID)).sort();
const ids = (text: string) => ndjson(text).map((e) => String(e.eventID)).sort();
const api = (args: string[], env: Record<string, string> = {}) => runCtq([...args, '--endpoint-url', emulator.url], { env: { ...AWS_ENV, ...env } });

describe('LookupEvents through the CLI', () => {
  it('reads every page of every requested region and re-checks the whole query', async () => {
    const result = await api(['iam:*', 's3:Put*', '--regions', 'us-east-1,eu-west-1', '--match', '$.readOnly == false', '--stats']);
    expect(result.code).toBe(0);
    const want = idsWhere((e) => (e.eventSource === 'iam.amazonaws.com' || (e.eventSource === 's3.amazonaws.com' && String(e.eventName).startsWith('Put'))) && e.readOnly === false);
    expect(want.length).toBeGreaterThan(10);
    expect(ids(result.stdout)).toEqual(want);
    const stats = JSON.parse(result.stderr.trim().split('\n').at(-1)!);
    expect(stats.apiCalls).toBeGreaterThan(0);
    expect(stats.pages).toBeGreaterThan(0);
    expect(stats.files).toBe(0);
  });

  it('writes each event as CloudTrail recorded it (the CloudTrailEvent string)', async () => {
    const result = await api(['sts:AssumeRole', '--region', 'eu-west-1']);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(events.map((e) => JSON.stringify(e))).toContain(line);
  });

  it('pushes an access-key equality down as the lookup attribute, with far fewer calls than a scan', async () => {
    const key = String((events.find((e) => (e.userIdentity as JsonObject).accessKeyId)!.userIdentity as JsonObject).accessKeyId);
    const pushed = await api(['*:*', '--region', 'us-east-1', '--match', `$.userIdentity.accessKeyId == "${key}"`, '--stats']);
    const scanned = await api(['*:*', '--region', 'us-east-1', '--match', `$.userIdentity.accessKeyId == "${key}" or $.eventID == "none"`, '--stats']);
    expect(ids(pushed.stdout)).toEqual(ids(scanned.stdout));
    expect(ids(pushed.stdout)).toEqual(idsWhere((e) => e.awsRegion === 'us-east-1' && (e.userIdentity as JsonObject).accessKeyId === key));
    const calls = (r: { stderr: string }) => JSON.parse(r.stderr.trim().split('\n').at(-1)!).apiCalls as number;
    expect(calls(pushed)).toBeLessThan(calls(scanned));
  });

  it('pushes an in list down as one lookup per value, and finds exactly what a full scan finds', async () => {
    const names = [...new Set(events.filter((e) => e.awsRegion === 'us-east-1').map((e) => String(e.eventName)))].slice(0, 3);
    const list = JSON.stringify(names);
    const pushed = await api(['*:*', '--region', 'us-east-1', '--match', `$.eventName in ${list}`, '--stats']);
    const scanned = await api(['*:*', '--region', 'us-east-1', '--match', `$.eventName in ${list} or $.eventID == "none"`, '--stats']);
    expect(pushed.code).toBe(0);
    expect(ids(pushed.stdout)).toEqual(idsWhere((e) => e.awsRegion === 'us-east-1' && names.includes(String(e.eventName))));
    expect(ids(pushed.stdout)).toEqual(ids(scanned.stdout));
    const calls = (r: { stderr: string }) => JSON.parse(r.stderr.trim().split('\n').at(-1)!).apiCalls as number;
    expect(calls(pushed)).toBeLessThan(calls(scanned));
  });

  it('--explain prints the plan to stderr and calls nothing', async () => {
    const before = emulator.counters.requests;
    const result = await api(['sts:AssumeRole', 's3:Get*', 's3:List*', '--regions', 'us-east-1,eu-west-1', '--explain']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(emulator.counters.requests).toBe(before);
    expect(result.stderr).toMatch(/EventName=AssumeRole/);
    // Two globs of one service share one EventSource scan per region.
    expect(result.stderr.match(/EventSource=s3\.amazonaws\.com/g)).toHaveLength(2);
  });

  it('looks up a global service once, in us-east-1, with --regions all, and a regional one in every region', async () => {
    const explained = await api(['iam:*', 's3:Put*', '--regions', 'all', '--explain']);
    expect(explained.code).toBe(0);
    expect(explained.stderr.match(/EventSource=iam\.amazonaws\.com/g)).toHaveLength(1);
    expect(explained.stderr).toMatch(/^  us-east-1\n    EventSource=iam\.amazonaws\.com .* covers iam:\* \(recorded in us-east-1 only\)$/m);
    const regionCount = Number(/plan: \d+ lookups in (\d+) regions/.exec(explained.stderr)?.[1]);
    expect(regionCount).toBeGreaterThan(20);
    expect(explained.stderr.match(/EventSource=s3\.amazonaws\.com/g)).toHaveLength(regionCount);

    const before = emulator.counters.requests;
    const result = await api(['iam:*', '--regions', 'all', '--stats']);
    expect(result.code).toBe(0);
    expect(ids(result.stdout)).toEqual(idsWhere((e) => e.eventSource === 'iam.amazonaws.com'));
    // One paged lookup, not one per region.
    const pages = Math.ceil(idsWhere((e) => e.eventSource === 'iam.amazonaws.com').length / 50);
    expect(emulator.counters.requests - before).toBe(pages);
  });

  it('looks up an exact action in CloudTrail\'s spelling, and warns of one the service does not have', async () => {
    const exact = await api(['sts:assumerole', '--region', 'eu-west-1', '--explain']);
    expect(exact.stderr).toContain('EventName=AssumeRole ');
    const typo = await api(['sts:AssumeRoles', '--region', 'eu-west-1']);
    expect(typo.code).toBe(0);
    expect(typo.stderr).toContain("ctq: warning: 'sts:AssumeRoles': sts has no action or event named 'AssumeRoles' (nearest: AssumeRole,");
  });

  it('re-reads a lookup whose NextToken a restarted endpoint refuses, and prints each event once', async () => {
    const restarting = await startEmulator({ data: { kind: 'events', events }, rate: 0, faults: { restartRate: 0.2, seed: 3 }, log: () => {} });
    try {
      const result = await runCtq(['*:*', '--region', 'us-east-1', '--rate', '100', '--endpoint-url', restarting.url], { env: AWS_ENV });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const printed = ndjson(result.stdout).map((e) => String(e.eventID));
      expect(new Set(printed).size).toBe(printed.length);
      expect(printed.sort()).toEqual(idsWhere((e) => e.awsRegion === 'us-east-1'));
      expect(restarting.counters.restarts).toBeGreaterThan(0);
      expect(restarting.counters.clientErrors).toBeGreaterThan(0);
    } finally {
      await restarting.close();
    }
  });

  it('absorbs throttling: the documented rate on the emulator, extra throttles injected, no error surfaced', async () => {
    const throttling = await startEmulator({ data: { kind: 'events', events }, faults: { throttleRate: 0.3, seed: 3 }, log: () => {} });
    try {
      const result = await runCtq(['iam:*', '--regions', 'us-east-1,eu-west-1', '--endpoint-url', throttling.url, '--stats'], { env: AWS_ENV });
      expect(result.code).toBe(0);
      expect(ids(result.stdout)).toEqual(idsWhere((e) => e.eventSource === 'iam.amazonaws.com'));
      expect(JSON.parse(result.stderr.trim().split('\n').at(-1)!).throttled).toBeGreaterThan(0);
      expect(result.stderr).not.toMatch(/error/i);
    } finally {
      await throttling.close();
    }
  });

  it('fails with one clear line when there are no credentials', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ctq-nocreds-'));
    try {
      const result = await runCtq(['iam:*', '--region', 'us-east-1', '--endpoint-url', emulator.url], {
        env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: '', HOME: home, AWS_CONFIG_FILE: join(home, 'c'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'k'), AWS_EC2_METADATA_DISABLED: 'true', AWS_CONTAINER_CREDENTIALS_FULL_URI: '', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '' },
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/credentials/i);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it.each([
    ['a leaf session key', 'ASIADEPLOYSESSION001', 5],
    ['the origin user by ARN', 'arn:aws:iam::111122223333:user/alice', 9],
    ['a role session by ARN', 'arn:aws:sts::111122223333:assumed-role/Admin/alice', 0],
  ])('answers chainOf(%s) by crawling, with the same events as the local two-pass scan', async (_what, target, atLeast) => {
    const chain = readFileSync('fixtures/identity/assume-role-chain.ndjson', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JsonObject);
    const chainEmulator = await startEmulator({ data: { kind: 'events', events: [...chain] }, rate: 0, log: () => {} });
    try {
      const args = ['*:*', '--match', `chainOf("${target}")`];
      const local = await runCtq([...args, '--input', 'fixtures/identity/assume-role-chain.ndjson']);
      const regions = [...new Set(chain.map((e) => String(e.awsRegion)))].join(',');
      const remote = await runCtq([...args, '--regions', regions, '--from', '2019-01-01', '--endpoint-url', chainEmulator.url, '--stats'], { env: AWS_ENV });
      expect(remote.code).toBe(0);
      expect(ids(local.stdout).length).toBeGreaterThan(0);
      expect(ids(local.stdout).length).toBeGreaterThanOrEqual(atLeast);
      expect(ids(remote.stdout)).toEqual(ids(local.stdout));
    } finally {
      await chainEmulator.close();
    }
  });

  it('streams the first match before the last page, and stops cleanly on SIGINT with whole lines', async () => {
    // The documented 2 requests/s: paging 600 events 50 at a time in one region takes seconds.
    const slow = await startEmulator({ data: { kind: 'events', events }, log: () => {} });
    try {
      const child = spawn(CTQ, ['*:*', '--region', 'us-east-1', '--endpoint-url', slow.url], { cwd: REPO, env: { ...process.env, ...AWS_ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8');
      const first = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      child.stdout.on('data', (text: string) => (out += text));
      await first;
      const pagesWhenFirstArrived = slow.counters.served;
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(pagesWhenFirstArrived).toBeLessThan(Math.ceil(events.filter((e) => e.awsRegion === 'us-east-1').length / 50));
      expect(code).toBe(130);
      expect(out.endsWith('\n')).toBe(true);
      for (const line of out.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    } finally {
      await slow.close();
    }
  });
});
