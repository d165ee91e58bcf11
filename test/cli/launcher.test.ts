/**
 * bin/ctq, the launcher npm links: it starts ctq from the V8 startup snapshot the build wrote when the
 * snapshot is this node's, and otherwise the same program as ES modules (bin/ctq.js). Both must give the
 * same answers, and a snapshot taken at build time must hold no state of the build's process.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticEventStream } from '../support/synthetic-events';
import { CTQ, REPO, runCtq } from '../support/run-ctq';

/** What the launcher executed: its last `exec` line under `sh -x`. */
function launched(launcher: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): { exec: string; stdout: string; status: number | null } {
  const result = spawnSync('sh', ['-x', launcher, ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env } });
  const exec = result.stderr.split('\n').filter((l) => l.startsWith('+ exec ')).pop() ?? '';
  return { exec, stdout: result.stdout, status: result.status };
}

let dir = '';
let big = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-launcher-'));
  big = join(dir, 'big.ndjson');
  // Large enough that worker threads start at once (over 16 MB read whole), from a snapshot's run too.
  writeFileSync(big, [...syntheticEventStream({ count: 24_000, seed: 7 })].map((e) => JSON.stringify(e)).join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the launcher', () => {
  it('starts from the snapshot the build wrote for this node', () => {
    const run = launched(CTQ, ['--version']);
    expect(run.status).toBe(0);
    expect(run.exec).toMatch(/ --snapshot-blob \S*dist\/ctq\.blob -- --version$/);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('runs the ES modules under NODE_OPTIONS (V8 flags there make node refuse the snapshot)', () => {
    const run = launched(CTQ, ['--version'], { NODE_OPTIONS: '--max-old-space-size=64' });
    expect(run.exec).toMatch(/^\+ exec \S+ \S*bin\/ctq\.js --version$/);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  describe('in a copy of the package', () => {
    let pkg = '';
    beforeAll(() => {
      pkg = join(dir, 'pkg');
      mkdirSync(join(pkg, 'bin'), { recursive: true });
      for (const name of ['ctq', 'ctq.js']) copyFileSync(join(REPO, 'bin', name), join(pkg, 'bin', name));
      cpSync(join(REPO, 'dist'), join(pkg, 'dist'), { recursive: true });
      cpSync(join(REPO, 'package.json'), join(pkg, 'package.json'));
      symlinkSync(join(REPO, 'node_modules'), join(pkg, 'node_modules'));
      mkdirSync(join(dir, 'links'));
      symlinkSync('../pkg/bin/ctq', join(dir, 'links', 'ctq'));
    });

    it('follows a relative link to the package (npm .bin) and still starts the snapshot', () => {
      const run = launched(join(dir, 'links', 'ctq'), ['s3:Get*', '--input', 'fixtures/AWSLogs']);
      expect(run.exec).toContain(`${join(dir, 'links')}/../pkg/bin/../dist/ctq.blob`);
      expect(run.status).toBe(0);
      expect(run.stdout.split('\n').length).toBeGreaterThan(1);
    });

    // The SDK is not in the snapshot (scripts/snapshot-sdk.mjs): a local run never loads it; a run that
    // uses a client requires dist/ctq-sdk.cjs, so without that file it fails, naming it.
    it('runs a local query from the snapshot without the SDK script, and needs it for LookupEvents', () => {
      const script = join(pkg, 'dist', 'ctq-sdk.cjs');
      const kept = join(dir, 'ctq-sdk.cjs');
      cpSync(script, kept);
      rmSync(script);
      try {
        const local = launched(join(pkg, 'bin', 'ctq'), ['*:*', '--input', 'fixtures/events.ndjson']);
        expect(local.exec).toContain('--snapshot-blob');
        expect(local.status).toBe(0);
        expect(local.stdout.split('\n').length).toBeGreaterThan(10);
        const api = spawnSync(join(pkg, 'bin', 'ctq'), ['*:*', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9'], {
          cwd: REPO,
          encoding: 'utf8',
          env: { ...process.env, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' },
        });
        expect(api.status).not.toBe(0);
        expect(api.stderr).toContain('ctq-sdk.cjs');
      } finally {
        cpSync(kept, script);
      }
    });

    it('runs the ES modules when the snapshot was written by another node binary', () => {
      writeFileSync(join(pkg, 'dist', 'ctq.blob.node'), '/bin/sh\n');
      const run = launched(join(pkg, 'bin', 'ctq'), ['--version']);
      expect(run.exec).toMatch(/ \S*pkg\/bin\/ctq\.js --version$/);
      expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    });

    it('runs the ES modules when node is newer than the snapshot (upgraded in place)', () => {
      writeFileSync(join(pkg, 'dist', 'ctq.blob.node'), `${process.execPath}\n`);
      utimesSync(join(pkg, 'dist', 'ctq.blob'), new Date('2000-01-01'), new Date('2000-01-01'));
      expect(launched(join(pkg, 'bin', 'ctq'), ['--version']).exec).toMatch(/ctq\.js --version$/);
    });

    it('runs the ES modules when there is no snapshot', () => {
      rmSync(join(pkg, 'dist', 'ctq.blob'));
      const run = launched(join(pkg, 'bin', 'ctq'), ['*:*', '--input', 'fixtures/events.ndjson']);
      expect(run.exec).toMatch(/ctq\.js \*:\* --input fixtures\/events\.ndjson$/);
      expect(run.status).toBe(0);
    });
  });
});

// The same query from the snapshot and from the ES modules: the output of each mode byte for byte, and
// what a run reads of its own process (arguments that look like node's options, COLUMNS, TZ) its own.
describe('the snapshot and the ES modules give the same answers', () => {
  const cases: { name: string; args: () => string[]; env?: NodeJS.ProcessEnv }[] = [
    { name: 'a plain scan with IAM-action globs', args: () => ['s3:Get*', 'iam:*', '--input', 'fixtures/AWSLogs', '--match', '$.errorCode == "AccessDenied" or $.readOnly == false'] },
    { name: 'options before the action (not node options)', args: () => ['--input', 'fixtures/events.ndjson', '--stats', '*:*'] },
    { name: '--summary', args: () => ['*:*', '--input', 'fixtures/identity', '--summary'] },
    { name: '--enrich with chainOf', args: () => ['*:*', '--input', 'fixtures/identity', '--enrich', '--match', 'chainOf("ASIAIOSFODNN7EXAMPLE") or session() != ""'] },
    { name: 'a table under a narrow terminal and another zone', args: () => ['*:*', '--input', 'fixtures/events.ndjson', '--format', 'table'], env: { COLUMNS: '72', TZ: 'Asia/Kolkata' } },
    { name: 'a table under a wide terminal', args: () => ['*:*', '--input', 'fixtures/events.ndjson', '--format', 'table'], env: { COLUMNS: '200', TZ: 'America/Los_Angeles' } },
    // Every record read and over 16 MB: workers start at once, and a worker that died at start (as they
    // did when the snapshot loaded worker_threads at build time) would be said on stderr.
    { name: 'worker threads', args: () => ['*:*', '--input', big, '--workers', '2', '--stats'] },
    { name: 'an expression error', args: () => ['*:*', '--input', 'fixtures/events.ndjson', '--match', '$.a == '] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const [snapshot, modules] = await Promise.all([runCtq(c.args(), { env: c.env }), runCtq(c.args(), { env: c.env, modules: true })]);
      expect(snapshot.stdout.length + snapshot.stderr.length).toBeGreaterThan(0);
      expect({ ...snapshot, stderr: stripTimes(snapshot.stderr) }).toEqual({ ...modules, stderr: stripTimes(modules.stderr) });
    });
  }
});

/** --stats prints elapsed time. */
function stripTimes(text: string): string {
  return text.replace(/\b\d+(\.\d+)?\s?(ms|s)\b/g, 'T');
}
