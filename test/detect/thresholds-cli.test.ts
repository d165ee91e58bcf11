/**
 * Thresholds through the CLI: N matching events sharing a key inside a sliding window give one alert
 * record; `--distinct` counts distinct values; rules can carry a threshold; `--state` carries the
 * windows across runs.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lines, runInProcess } from '../rules/in-process';
import { CTQ, REPO } from '../support/run-ctq';

const BASE = Date.parse('2026-11-20T10:00:00Z');
let seq = 0;

function assumedRole(session: string, key: string) {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLE:${session}`,
    arn: `arn:aws:sts::111122223333:assumed-role/dev/${session}`,
    accountId: '111122223333',
    accessKeyId: key,
    sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111122223333:role/dev', userName: 'dev' }, attributes: { creationDate: '2026-11-20T09:00:00Z', mfaAuthenticated: 'false' } },
  };
}

function event(minute: number, userIdentity: object, eventName: string, extra: object = {}) {
  return {
    eventVersion: '1.08',
    userIdentity,
    eventTime: new Date(BASE + minute * 60_000).toISOString().replace('.000Z', 'Z'),
    eventSource: eventName.startsWith('Describe') ? 'ec2.amazonaws.com' : 'iam.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    eventID: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    recipientAccountId: '111122223333',
    ...extra,
  };
}

const S1 = assumedRole('burst', 'ASIABURSTBURSTBURST1');
const S2 = assumedRole('slow', 'ASIASLOWSLOWSLOWSLO2');
const DENIED = { errorCode: 'AccessDenied', errorMessage: 'not authorized' };

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-thresholds-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, events: readonly object[]) => {
  const path = join(dir, name);
  writeFileSync(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return path;
};

describe('--count-by --threshold --window', () => {
  // S1: 10 denials within 4.5 minutes. S2: 12 denials, one every 3 minutes: never 10 within 5 minutes.
  const burst = Array.from({ length: 10 }, (_, i) => event(i * 0.5, S1, 'ListUsers', DENIED));
  const slow = Array.from({ length: 12 }, (_, i) => event(i * 3, S2, 'ListRoles', DENIED));
  const quiet = Array.from({ length: 20 }, (_, i) => event(i * 0.1, S2, 'ListRoles'));
  const all = [...burst, ...slow, ...quiet].sort((a, b) => a.eventTime.localeCompare(b.eventTime));

  it('gives one alert per key that reaches N events within the window, with key, count, times and sample eventIDs', async () => {
    const input = write('events.ndjson', all);
    const result = await runInProcess(['*:*', '--input', input, '--match', '$.errorCode == "AccessDenied"', '--count-by', 'session()', '--threshold', '10', '--window', '5m']);
    expect(result.code).toBe(0);
    const alerts = lines(result.stdout);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      alert: 'threshold',
      rule: null,
      count: 10,
      threshold: 10,
      window: '5m',
      firstTime: burst[0]!.eventTime.replace('Z', '.000Z'),
      lastTime: burst[9]!.eventTime.replace('Z', '.000Z'),
      sampleEventIDs: burst.slice(0, 5).map((e) => e.eventID),
    });
    expect(JSON.stringify((alerts[0]!.key as Record<string, string>)['session()'])).toContain('ASIABURSTBURSTBURST1');
  });

  it('--distinct counts distinct values: 20 different List*/Describe* calls by one identity within 10 minutes', async () => {
    const names = [...Array.from({ length: 10 }, (_, i) => `ListThing${i}`), ...Array.from({ length: 10 }, (_, i) => `DescribeThing${i}`)];
    const recon = names.map((name, i) => event(i * 0.4, S1, name));
    const repetitive = Array.from({ length: 30 }, (_, i) => event(i * 0.2, S2, `ListThing${i % 5}`));
    const input = write('recon.ndjson', [...recon, ...repetitive]);
    const result = await runInProcess(['*:List*', '*:Describe*', '--input', input, '--count-by', '$.userIdentity.arn', '--distinct', '$.eventName', '--threshold', '20', '--window', '10m']);
    expect(result.code).toBe(0);
    const alerts = lines(result.stdout);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ key: { '$.userIdentity.arn': S1.arn }, count: 20, distinct: { path: '$.eventName' } });
    expect(((alerts[0]!.distinct as { values: string[] }).values).sort()).toEqual([...names].sort());
  });

  it('rejects incomplete or invalid threshold flags before reading anything', async () => {
    const input = write('e.ndjson', all);
    const missing = await runInProcess(['*:*', '--input', input, '--count-by', 'session()']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/need --threshold N and --window/);
    const badWindow = await runInProcess(['*:*', '--input', input, '--count-by', 'session()', '--threshold', '3', '--window', 'soon']);
    expect(badWindow.stderr).toMatch(/--window: expected a duration/);
    const badPath = await runInProcess(['*:*', '--input', input, '--count-by', '$.a..', '--threshold', '3', '--window', '5m']);
    expect(badPath.code).toBe(2);
    expect(badPath.stderr).toMatch(/--count-by/);
  });

  it('carries open windows across --state runs', async () => {
    const state = join(dir, 'ctq.state');
    const args = (input: string) => ['*:*', '--input', input, '--match', '$.errorCode == "AccessDenied"', '--count-by', 'session()', '--threshold', '10', '--window', '5m', '--state', state];
    const first = write('a.ndjson', burst.slice(0, 6));
    expect(lines((await runInProcess(args(first))).stdout)).toHaveLength(0);
    const second = write('b.ndjson', burst.slice(6));
    const alerts = lines((await runInProcess([...args(first), '--input', second])).stdout);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ count: 10, sampleEventIDs: burst.slice(0, 5).map((e) => e.eventID) });
    // Without the carried windows, the second file alone has only 4 denials.
    const alone = await runInProcess(['*:*', '--input', second, '--match', '$.errorCode == "AccessDenied"', '--count-by', 'session()', '--threshold', '10', '--window', '5m']);
    expect(lines(alone.stdout)).toHaveLength(0);
  });
});

describe('--follow', () => {
  it('keeps the windows open from poll to poll', async () => {
    const burst = Array.from({ length: 3 }, (_, i) => event(i, S1, 'ListUsers', DENIED));
    const feed = write('feed.ndjson', burst.slice(0, 2));
    const child = spawn(CTQ, ['*:*', '--input', feed, '--follow', '--interval', '0.2', '--count-by', 'session()', '--threshold', '3', '--window', '5m'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => (out += text));
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500)); // several polls with two events: no alert
      expect(out).toBe('');
      appendFileSync(feed, JSON.stringify(burst[2]) + '\n');
      for (let i = 0; i < 100 && out === ''; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('close', resolve));
    }
    expect(lines(out)).toHaveLength(1);
    expect(lines(out)[0]).toMatchObject({ count: 3, sampleEventIDs: burst.map((e) => e.eventID) });
  });
});

describe('rules with a threshold', () => {
  it('alert for the threshold rule; events of ordinary rules still printed with only their ids', async () => {
    const burst = Array.from({ length: 4 }, (_, i) => event(i, S1, 'ListUsers', DENIED));
    const input = write('events.ndjson', burst);
    const rules = join(dir, 'rules.yml');
    writeFileSync(
      rules,
      [
        'rules:',
        '  - id: denied-burst',
        '    title: Many denials in one session',
        '    severity: high',
        '    match: $.errorCode == "AccessDenied"',
        '    threshold: { count-by: session(), threshold: 3, window: 5m }',
        '  - id: list-users',
        '    title: ListUsers',
        '    actions: iam:ListUsers',
        '    match: $.userIdentity.arn regex "burst"',
      ].join('\n') + '\n',
    );
    const result = await runInProcess(['--rules', rules, '--input', input]);
    expect(result.code).toBe(0);
    const out = lines(result.stdout);
    const events = out.filter((r) => r.alert === undefined);
    const alerts = out.filter((r) => r.alert === 'threshold');
    expect(events.map((e) => e.eventID)).toEqual(burst.map((e) => e.eventID));
    for (const e of events) expect(e._ctq).toEqual({ rules: ['list-users'], titles: ['ListUsers'] });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ rule: 'denied-burst', title: 'Many denials in one session', severity: 'high', count: 3, window: '5m' });
  });
});
