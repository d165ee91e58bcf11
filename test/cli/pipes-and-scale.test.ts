/** Output into closed pipes, and the multi-threaded scan giving exactly the single-threaded answer. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticEventStream } from '../support/synthetic-events';
import { CTQ, REPO, runCtq } from '../support/run-ctq';

let dir = '';
let big = '';
let tree = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-scale-'));
  big = join(dir, 'big.ndjson');
  // Above the size at which worker threads start, so the parallel path really runs.
  const lines: string[] = [];
  const events = [...syntheticEventStream({ count: 45_000, seed: 99 })];
  for (const event of events) lines.push(JSON.stringify(event));
  writeFileSync(big, lines.join('\n') + '\n');
  // The same events as a trail tree of gzipped {"Records": [...]} files.
  tree = join(dir, 'AWSLogs');
  mkdirSync(tree);
  for (let i = 0; i < events.length; i += 1000) {
    writeFileSync(join(tree, `part-${String(i / 1000).padStart(3, '0')}.json.gz`), gzipSync(JSON.stringify({ Records: events.slice(i, i + 1000) })));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ndjsonLines = (text: string) => (text === '' ? [] : text.trimEnd().split('\n'));

describe('pipes', () => {
  it('ends quietly with success when the reader closes early (| head -1)', () => {
    const result = spawnSync('bash', ['-c', `set -o pipefail; ${CTQ} '*:*' --input ${big} | head -1 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(result.stdout.trim()).toBe('status=0');
    expect(result.stderr).toBe('');
  });
});

describe('interruption', () => {
  it('stops on SIGINT with whole NDJSON lines written and exit 130', async () => {
    const child = spawn(CTQ, ['*:*', '--input', '-'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    const firstOutput = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.on('data', (text: string) => (out += text));
    // Feed a few thousand lines, keep stdin open (a live feed), interrupt once output flows.
    const lines = readFileSync(big, 'utf8').split('\n').slice(0, 3000).join('\n') + '\n';
    child.stdin.on('error', () => {}); // ctq may exit before it has read all we wrote
    child.stdin.write(lines);
    await firstOutput;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(out.length).toBeGreaterThan(0);
    expect(out.endsWith('\n')).toBe(true);
    for (const line of out.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('interruption inside a large gzip', () => {
  it('stops between slices of one large inflated file on the main thread, with exit 130', async () => {
    const gz = join(dir, 'big.ndjson.gz');
    writeFileSync(gz, gzipSync(readFileSync(big)));
    const child = spawn(CTQ, ['*:*', '--input', gz, '--workers', '1'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    const firstOutput = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.on('data', (text: string) => (out += text));
    await firstOutput;
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
    // The file is one chunk of 40 MB; a scan that could not be interrupted inside it wrote it all.
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBeLessThan(45_000);
    expect(out.endsWith('\n')).toBe(true);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('bounded memory', () => {
  it('scans and runs the two-pass identity query over ~40 MB with a 16 MB heap', async () => {
    const env = { NODE_OPTIONS: '--max-old-space-size=16' };
    const plain = await runCtq(['*:*', '--input', big, '--match', '$.readOnly == false', '--workers', '1', '--stats'], { env });
    expect(plain.code).toBe(0);
    const identity = await runCtq(['*:*', '--input', big, '--match', 'session() regex "alice"', '--stats'], { env });
    expect(identity.code).toBe(0);
    expect(JSON.parse(identity.stderr.trim().split('\n').at(-1)!)).toMatchObject({ eventsScanned: 45_000 });
    expect(identity.stdout.length).toBeGreaterThan(0);
  });
});

describe('parallel scan', () => {
  it('reads every line of 1,024-byte lines once with workers, from a file and from stdin', async () => {
    // Reads of 1 MiB end exactly on a newline here; the reader once sliced such a chunk again after
    // handing its buffer to a worker, and printed 28,672 of 40,000 events with exit 0.
    const path = join(dir, 'l1024.ndjson');
    const lines = Array.from({ length: 40_000 }, (_, i) => {
      const head = `{"eventVersion":"1.08","eventID":"${i}","pad":"`;
      return head + 'x'.repeat(1023 - head.length - 2) + '"}';
    });
    writeFileSync(path, lines.join('\n') + '\n');
    for (const input of [['--input', path], ['--input', '-']]) {
      const result = await runCtq(['*:*', ...input, '--workers', '2', '--stats'], input[1] === '-' ? { stdin: readFileSync(path) } : {});
      expect(result.code, input[1]).toBe(0);
      const ids = result.stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { eventID: string }).eventID);
      expect(new Set(ids).size, input[1]).toBe(40_000);
      expect(ids.length, input[1]).toBe(40_000);
      expect(JSON.parse(result.stderr.trim()), input[1]).toMatchObject({ eventsScanned: 40_000, badRecords: 0 });
    }
  });


  it('gives byte-identical output with one thread and with workers', async () => {
    const args = ['*:*', '--input', big, '--match', '$.readOnly == false or $.errorCode == "AccessDenied"'];
    const one = await runCtq([...args, '--workers', '1']);
    const two = await runCtq([...args, '--workers', '2', '--stats']);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stdout.length).toBeGreaterThan(1_000_000);
    expect(two.stdout).toBe(one.stdout);
    expect(JSON.parse(two.stderr.trim())).toMatchObject({ eventsScanned: 45_000 });
  });

  it('selects the same events, in the same order, in one pass and in the two-pass identity scan, threads or not', async () => {
    // --enrich takes the two-pass path (graph first, then the filter with the literal pre-filter).
    const args = ['*:*', '--input', big, '--match', '$.errorCode == "AccessDenied"'];
    const plain = await runCtq([...args, '--workers', '2']);
    const twoPass = await runCtq([...args, '--enrich', '--workers', '2', '--stats']);
    expect(twoPass.code).toBe(0);
    // Pass one gathers the graph on worker threads; one thread must build the same graph.
    const oneThread = await runCtq([...args, '--enrich', '--workers', '1']);
    expect(oneThread.stdout).toBe(twoPass.stdout);
    const withoutCtq = ndjsonLines(twoPass.stdout).map((line) => {
      const { _ctq, ...event } = JSON.parse(line) as Record<string, unknown>;
      expect(_ctq).toBeDefined();
      return event;
    });
    expect(withoutCtq.length).toBeGreaterThan(100);
    expect(withoutCtq).toEqual(ndjsonLines(plain.stdout).map((line) => JSON.parse(line) as unknown));
    expect(JSON.parse(twoPass.stderr.trim().split('\n').at(-1)!)).toMatchObject({ eventsScanned: 45_000, files: 1 });
  });

  it('gives the same output in the same order over a gzipped trail tree, threads or not', async () => {
    const args = ['*:*', '--input', tree, '--match', '$.readOnly == false'];
    const one = await runCtq([...args, '--workers', '1']);
    const two = await runCtq([...args, '--workers', '2', '--stats']);
    expect(one.code).toBe(0);
    expect(two.stdout.length).toBeGreaterThan(1_000_000);
    expect(two.stdout).toBe(one.stdout);
    expect(JSON.parse(two.stderr.trim())).toMatchObject({ eventsScanned: 45_000, files: 45 });
  });
});
