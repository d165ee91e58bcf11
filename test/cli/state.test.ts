/**
 * Incremental runs (--state) and --follow: across runs, late-arriving events and kills, every event is
 * emitted exactly once.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator';
import type { JsonObject } from '../../src/language/json';
import { syntheticEvents } from '../support/synthetic-events';
import { CTQ, REPO, ndjson, runCtq } from '../support/run-ctq';

const AWS_ENV = { AWS_ACCESS_KEY_ID: 'AKIAEMULATOR', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1', AWS_PROFILE: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };
const ids = (text: string) => ndjson(text).map((e) => String(e.eventID));
const idsOf = (events: readonly JsonObject[]) => events.map((e) => String(e.eventID));

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const trail = (path: string, records: readonly JsonObject[]) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, gzipSync(JSON.stringify({ Records: records })));
};

describe('--state with local inputs', () => {
  it('reads new files whole, grown NDJSON from where it stopped, and nothing twice — across a killed run', async () => {
    const all = syntheticEvents({ count: 120, seed: 11 });
    const logs = join(dir, 'AWSLogs');
    const state = join(dir, 'ctq.state');
    const feed = join(dir, 'feed.ndjson');
    trail(join(logs, 'us-east-1', 'a.json.gz'), all.slice(0, 30));
    writeFileSync(feed, all.slice(30, 40).map((e) => JSON.stringify(e)).join('\n') + '\n' + JSON.stringify(all[40]).slice(0, 50)); // a line still being written
    const args = ['*:*', '--input', logs, '--input', feed, '--state', state];

    const first = await runCtq(args);
    expect(first.code).toBe(0);
    expect(ids(first.stdout).sort()).toEqual(idsOf(all.slice(0, 40)).sort());
    expect(existsSync(state)).toBe(true);

    // Nothing new: nothing out.
    expect((await runCtq(args)).stdout).toBe('');

    // A newly synced region with OLD events, the half line completed and more lines appended.
    trail(join(logs, 'eu-west-1', 'b.json.gz'), all.slice(60, 80));
    appendFileSync(feed, JSON.stringify(all[40]).slice(50) + '\n' + all.slice(41, 50).map((e) => JSON.stringify(e)).join('\n') + '\n');
    // A run killed before it could finish changes nothing.
    const killed = spawn(CTQ, [...args], { cwd: REPO, stdio: 'ignore' });
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.on('close', resolve));

    const third = await runCtq([...args, '--stats']);
    expect(third.code).toBe(0);
    expect(ids(third.stdout).sort()).toEqual(idsOf([...all.slice(40, 50), ...all.slice(60, 80)]).sort());
    expect(JSON.parse(third.stderr.trim().split('\n').at(-1)!).files).toBe(2); // a.json.gz was skipped unread
  });

  // A cron run skips most files unread; anything that reads files ahead of the scan (tried: small files
  // read ahead on the thread pool) must not read them.
  it('opens only the files a run reads: a second run over an unchanged tree reads none of them', async () => {
    const all = syntheticEvents({ count: 200, seed: 5 });
    const logs = join(dir, 'AWSLogs');
    for (let i = 0; i < 40; i++) trail(join(logs, `f${String(i).padStart(2, '0')}.json.gz`), all.slice(i * 5, i * 5 + 5));
    const probe = join(dir, 'count-reads.cjs');
    const opened = join(dir, 'opened.log');
    // Counts every way ctq could read a small file whole.
    writeFileSync(
      probe,
      `const fs = require('node:fs');
for (const name of ['readFile', 'readFileSync']) {
  const original = fs[name];
  fs[name] = (...args) => { if (String(args[0]).endsWith('.json.gz')) fs.appendFileSync(${JSON.stringify(opened)}, args[0] + '\\n'); return original(...args); };
}
require('node:module').syncBuiltinESMExports();
`,
    );
    const args = ['*:*', '--input', logs, '--state', join(dir, 'ctq.state')];
    const env = { NODE_OPTIONS: `--require ${probe}` };
    const first = await runCtq(args, { env });
    expect(ids(first.stdout)).toEqual(idsOf(all));
    expect(readFileSync(opened, 'utf8').trimEnd().split('\n')).toHaveLength(40);
    writeFileSync(opened, '');
    const second = await runCtq(args, { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('');
    expect(readFileSync(opened, 'utf8')).toBe('');
  });

  it('refuses a foreign or damaged state file, and one written for another query', async () => {
    const state = join(dir, 'ctq.state');
    writeFileSync(state, '{"hello": "world"}');
    const foreign = await runCtq(['*:*', '--input', 'fixtures/events.ndjson', '--state', state]);
    expect(foreign.code).toBe(1);
    expect(foreign.stdout).toBe('');
    expect(foreign.stderr).toContain(state);

    rmSync(state);
    expect((await runCtq(['iam:*', '--input', 'fixtures/events.ndjson', '--state', state])).code).toBe(0);
    const other = await runCtq(['s3:*', '--input', 'fixtures/events.ndjson', '--state', state]);
    expect(other.code).toBe(1);
    expect(other.stdout).toBe('');

    writeFileSync(state, readFileSync(state, 'utf8').slice(0, 20));
    const truncated = await runCtq(['iam:*', '--input', 'fixtures/events.ndjson', '--state', state]);
    expect(truncated.code).toBe(1);
  });
});

describe('--state with LookupEvents', () => {
  it('catches late-delivered events inside the overlap without repeating any', async () => {
    const now = Date.now();
    const base = syntheticEvents({ count: 200, seed: 21, regions: ['us-east-1', 'eu-west-1'], start: new Date(now - 6 * 3_600_000), end: new Date(now - 60_000) });
    // Delivered late: their eventTime is before the first run, but CloudTrail had not shown them yet.
    const late = syntheticEvents({ count: 15, seed: 22, regions: ['us-east-1', 'eu-west-1'], start: new Date(now - 20 * 60_000), end: new Date(now - 2 * 60_000) });
    const state = join(dir, 'api.state');
    const args = ['*:*', '--regions', 'us-east-1,eu-west-1', '--state', state, '--from', new Date(now - 24 * 3_600_000).toISOString()];

    const first = await startEmulator({ data: { kind: 'events', events: base }, rate: 0, log: () => {} });
    const run1 = await runCtq([...args, '--endpoint-url', first.url], { env: AWS_ENV });
    await first.close();
    expect(run1.code).toBe(0);
    expect(ids(run1.stdout).sort()).toEqual(idsOf(base).sort());

    const second = await startEmulator({ data: { kind: 'events', events: [...base, ...late] }, rate: 0, log: () => {} });
    const run2 = await runCtq([...args, '--endpoint-url', second.url], { env: AWS_ENV });
    const run3 = await runCtq([...args, '--endpoint-url', second.url], { env: AWS_ENV });
    await second.close();
    expect(run2.code).toBe(0);
    expect(ids(run2.stdout).sort()).toEqual(idsOf(late).sort());
    expect(run3.stdout).toBe('');
  });
});

describe('--follow', () => {
  it('prints lines appended to a file as they appear, once each, and ends cleanly on SIGTERM', async () => {
    const all = syntheticEvents({ count: 30, seed: 31 });
    const feed = join(dir, 'feed.ndjson');
    writeFileSync(feed, all.slice(0, 10).map((e) => JSON.stringify(e)).join('\n') + '\n');
    const child = spawn(CTQ, ['*:*', '--input', feed, '--follow', '--interval', '0.2'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => (out += text));
    const waitFor = async (n: number) => {
      for (let i = 0; i < 100 && ids(out).length < n; i++) await new Promise((r) => setTimeout(r, 100));
    };
    await waitFor(10);
    appendFileSync(feed, all.slice(10, 30).map((e) => JSON.stringify(e)).join('\n') + '\n');
    await waitFor(30);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(ids(out)).toEqual(idsOf(all));
  });

  it('polls LookupEvents round after round without repeating events, and stops on SIGINT', async () => {
    const now = Date.now();
    const events = syntheticEvents({ count: 80, seed: 41, regions: ['us-east-1'], start: new Date(now - 20 * 60_000), end: new Date(now - 60_000) });
    const emulator = await startEmulator({ data: { kind: 'events', events }, rate: 0, log: () => {} });
    try {
      const child = spawn(CTQ, ['*:*', '--region', 'us-east-1', '--endpoint-url', emulator.url, '--follow', '--interval', '0.3', '--stats'], {
        cwd: REPO,
        env: { ...process.env, ...AWS_ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
      child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
      // Wait for several polls (each is at least one request).
      for (let i = 0; i < 100 && emulator.counters.requests < 4; i++) await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      expect(emulator.counters.requests).toBeGreaterThanOrEqual(4);
      // Without --from, --follow starts at now minus the overlap (30 min): all 80 events, once each.
      expect(ids(out).sort()).toEqual(idsOf(events).sort());
      expect(JSON.parse(err.trim().split('\n').at(-1)!).matched).toBe(80);
    } finally {
      await emulator.close();
    }
  });
});
