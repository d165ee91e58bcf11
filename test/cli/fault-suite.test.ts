/**
 * The fault and damage suite: generated inputs, each with a known set of valid events and a known
 * damage. For each case: every valid event comes out exactly once, the damage is counted and named
 * with file:line, the exit status is as documented, and no stack trace reaches the user.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CTQ, REPO, runCtq, type CtqResult } from '../support/run-ctq';
import { syntheticEvents } from '../support/synthetic-events';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-faults-'));
});
afterAll(() => {
  spawnSync('chmod', ['-R', 'u+rwx', dir]);
  rmSync(dir, { recursive: true, force: true });
});

const events = syntheticEvents({ count: 9, seed: 13 });
const line = (e: object) => JSON.stringify(e);
const ids = (from = 0, to = events.length) => events.slice(from, to).map((e) => String(e.eventID));

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function idsOut(result: CtqResult): string[] {
  return result.stdout === '' ? [] : result.stdout.trimEnd().split('\n').map((l) => String((JSON.parse(l) as { eventID: string }).eventID));
}

function stats(result: CtqResult): Record<string, number> {
  return JSON.parse(result.stderr.trim().split('\n').at(-1)!) as Record<string, number>;
}

/** What every case must show: the valid events once each, the damage named and counted, no stack trace. */
function expectOutcome(result: CtqResult, want: { ids: string[]; bad: number; named?: RegExp; code?: number }): void {
  expect(result.code).toBe(want.code ?? 0);
  expect(idsOut(result).sort()).toEqual([...want.ids].sort());
  expect(stats(result)).toMatchObject({ badRecords: want.bad, matched: want.ids.length });
  if (want.named) expect(result.stderr).toMatch(want.named);
  expect(result.stderr).not.toMatch(/\n\s+at |Maximum call stack|internal error/);
}

describe('damage costs the damaged record only', () => {
  it('a damaged first NDJSON line: the other 8 events are read', async () => {
    const text = [line(events[0]!).slice(0, 40), ...events.slice(1).map(line)].join('\n') + '\n';
    const result = await runCtq(['*:*', '--input', write('first-line.ndjson', text), '--stats']);
    expectOutcome(result, { ids: ids(1), bad: 1, named: /first-line\.ndjson:1: damaged record/ });
    expect(result.stderr).toMatch(/skipped 1 bad record; every other record was read/);
  });

  it('one damaged record in a one-line trail document: the 8 others are read, first, middle or last', async () => {
    // test/sources/record-splitter.test.ts damages every kind of way in process; this is the CLI's word on it.
    for (const damaged of [0, 4, events.length - 1]) {
      const records = events.map((e, i) => (i === damaged ? line(e).replace('"eventName":', '"eventName"') : line(e)));
      const path = write(`trail-${damaged}.json`, `{"Records":[${records.join(',')}]}`);
      const result = await runCtq(['*:*', '--input', path, '--stats']);
      expectOutcome(result, { ids: ids().filter((_, i) => i !== damaged), bad: 1, named: /trail-\d\.json:1: damaged record/ });
      // Resuming at the next record is not a missing comma.
      expect(result.stderr).not.toMatch(/missing ','/);
    }
  });

  it('a record nested 5,000 deep is one bad record, also under --enrich, $.. and --summary --group-by', async () => {
    const deep = '{"eventVersion":"1.08","eventID":"deep","x":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    const text = [...events.slice(0, 4).map(line), deep, ...events.slice(4).map(line)].join('\n') + '\n';
    const path = write('deep.ndjson', text);
    expectOutcome(await runCtq(['*:*', '--input', path, '--stats']), { ids: ids(), bad: 1, named: /deep\.ndjson:5: record nested deeper than 512 levels/ });
    expectOutcome(await runCtq(['*:*', '--input', path, '--match', '$..x == 1 or true', '--stats']), { ids: ids(), bad: 1 });
    const enriched = await runCtq(['*:*', '--input', path, '--enrich', '--stats']);
    expectOutcome(enriched, { ids: ids(), bad: 1 });
    const grouped = await runCtq(['*:*', '--input', path, '--summary', '--group-by', '$.x', '--stats']);
    expect(grouped.code).toBe(0);
    expect(grouped.stderr).toMatch(/deep\.ndjson:5: record nested deeper/);
    expect(grouped.stderr).not.toMatch(/\n\s+at |Maximum call stack/);
    const inTrail = write('deep-trail.json', `{"Records":[${[...events.slice(0, 4).map(line), deep, ...events.slice(4).map(line)].join(',')}]}`);
    expectOutcome(await runCtq(['*:*', '--input', inTrail, '--stats']), { ids: ids(), bad: 1, named: /deep-trail\.json:1: record nested deeper/ });
  });

  it('{"Records":null}, {"Records":"x"} and a CloudTrailEvent that is not a string are bad records', async () => {
    const text = ['{"Records":null}', '{"Records":"x"}', '{"Events":[{"EventId":"e","CloudTrailEvent":{"eventID":"nope"}}]}', ...events.map(line)].join('\n');
    const result = await runCtq(['*:*', '--input', write('not-lists.json', text), '--stats']);
    expectOutcome(result, { ids: ids(), bad: 3, named: /not-lists\.json:1: "Records" is null, not a list of records/ });
    expect(result.stderr).toMatch(/not-lists\.json:2: "Records" is a string/);
    expect(result.stderr).toMatch(/not-lists\.json:3: CloudTrailEvent is an object, not a JSON string/);
  });

  it('a file that is not JSON at all is one report, not one per line', async () => {
    const result = await runCtq(['*:*', '--input', write('notes.json', 'hello\nthis is not\nJSON\n'), '--stats']);
    expectOutcome(result, { ids: [], bad: 1, named: /notes\.json:1: not a file of JSON records: no JSON object or list in it \(lines 1–3/ });
  });
});

describe('inputs as users pass them', () => {
  it('prints events from trail documents byte for byte as recorded', async () => {
    const record = '{"eventVersion":"1.08","eventID":"big","n":123456789012345678901234567890,"f":1e400,"s":"\\u00e9"}';
    const result = await runCtq(['*:*', '--input', write('exact.json', `{"Records":[${record}]}`)]);
    expect(result.stdout).toBe(record + '\n');
  });

  it('accepts a UTF-8 byte order mark on NDJSON', async () => {
    const text = '\ufeff' + events.map(line).join('\n') + '\n';
    expectOutcome(await runCtq(['*:*', '--input', write('bom.ndjson', text), '--stats']), { ids: ids(), bad: 0 });
  });

  it('reads a named FIFO and process substitution like stdin', async () => {
    const fifo = join(dir, 'fifo');
    spawnSync('mkfifo', [fifo]);
    const ndjson = write('for-fifo.ndjson', events.map(line).join('\n') + '\n');
    const writer = spawn('bash', ['-c', `cat ${ndjson} > ${fifo}`]);
    const written = new Promise((resolve) => writer.on('close', resolve));
    expectOutcome(await runCtq(['*:*', '--input', fifo, '--stats']), { ids: ids(), bad: 0 });
    await written;
    const gz = write('for-subst.json.gz', gzipSync(`{"Records":[${events.map(line).join(',')}]}`));
    const subst = spawnSync('bash', ['-c', `${CTQ} '*:*' --input <(zcat ${gz}) --stats`], { cwd: REPO, encoding: 'utf8' });
    expectOutcome({ code: subst.status, signal: null, stdout: subst.stdout, stderr: subst.stderr }, { ids: ids(), bad: 0 });
  });

  it('ends a read blocked on a FIFO on SIGTERM, with exit 130', async () => {
    const fifo = join(dir, 'idle-fifo');
    spawnSync('mkfifo', [fifo]);
    const child = spawn(CTQ, ['*:*', '--input', fifo], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    // Opening the FIFO to write returns once ctq has opened it to read (after its signal handling is
    // set up): from then on its read waits on a writer that writes nothing. A fixed delay instead
    // killed ctq before that on a loaded machine.
    const writer = await open(fifo, 'w');
    try {
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      expect(code).toBe(130);
    } finally {
      await writer.close();
    }
  });

  it('reports a dangling symbolic link, named or in a directory, as a failed input', async () => {
    const tree = join(dir, 'links');
    mkdirSync(tree);
    writeFileSync(join(tree, 'a.json'), events.map(line).join('\n'));
    symlinkSync(join(dir, 'gone.json'), join(tree, 'b.json'));
    const result = await runCtq(['*:*', '--input', tree, '--stats']);
    expect(result.code).toBe(1);
    expect(idsOut(result)).toEqual(ids());
    expect(result.stderr).toMatch(/links\/b\.json: dangling symbolic link/);
  });

  it('treats an unreadable file like an unreadable directory: an error naming it, exit 1', async () => {
    const locked = mkdtempSync(join(tmpdir(), 'ctq-locked-'));
    try {
      const file = join(locked, 'locked.json');
      writeFileSync(file, events.map(line).join('\n'));
      const lockedDir = join(locked, 'locked-dir');
      mkdirSync(lockedDir);
      chmodSync(file, 0o000);
      chmodSync(lockedDir, 0o000);
      chmodSync(locked, 0o755);
      for (const input of [file, lockedDir]) {
        const result = await runAsUnprivileged(['*:*', '--input', input]);
        expect(result.code, input).toBe(1);
        expect(result.stderr, input).toMatch(/error: .*locked.*: permission denied/);
      }
    } finally {
      spawnSync('chmod', ['-R', 'u+rwx', locked]);
      rmSync(locked, { recursive: true, force: true });
    }
  });
});

/** Runs ctq as `nobody` when the tests run as root (root reads anything), as the user otherwise. */
function runAsUnprivileged(args: string[]): Promise<CtqResult> {
  const asRoot = process.getuid?.() === 0;
  return new Promise((resolve, reject) => {
    const child = spawn(CTQ, [...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const trail = (from: number, to: number) => gzipSync(`{"Records":[${events.slice(from, to).map(line).join(',')}]}`);

describe('gzip damage: what gzip -dc recovers is read, the damage named as what it is', () => {
  const gzipRecovers = (path: string) => spawnSync('bash', ['-c', `gzip -dc ${path} 2>/dev/null`], { encoding: 'utf8' }).stdout;

  it('reads every member of a multi-member gzip (cat a.gz b.gz)', async () => {
    const path = write('multi.json.gz', Buffer.concat([trail(0, 4), trail(4, 9)]));
    expectOutcome(await runCtq(['*:*', '--input', path, '--stats']), { ids: ids(), bad: 0 });
  });

  it('reads the data before junk after the last member, and says the junk was ignored', async () => {
    const path = write('junk.json.gz', Buffer.concat([trail(0, 9), Buffer.from('junk after the data\n')]));
    expect(gzipRecovers(path)).toContain(String(events[8]!.eventID));
    const result = await runCtq(['*:*', '--input', path, '--stats']);
    expectOutcome(result, { ids: ids(), bad: 0, named: /junk\.json\.gz:1: bytes after the gzip data are not gzip: ignored/ });
  });

  it('reads the data of a member whose checksum does not match, and says so', async () => {
    const bytes = Buffer.from(trail(0, 9));
    bytes[bytes.length - 6]! ^= 0xff;
    const result = await runCtq(['*:*', '--input', write('crc.json.gz', bytes), '--stats']);
    expectOutcome(result, { ids: ids(), bad: 0, named: /crc\.json\.gz:1: gzip checksum does not match/ });
  });

  it('reads the whole records of a truncated gzip, as gzip -dc recovers them', async () => {
    const whole = trail(0, 9);
    const path = write('cut.json.gz', whole.subarray(0, Math.floor(whole.length * 0.7)));
    const recovered = gzipRecovers(path);
    const want = ids().filter((id) => recovered.includes(`"eventID":"${id}"`) && recovered.includes(`"eventID":"${id}"`, 0));
    const result = await runCtq(['*:*', '--input', path, '--stats']);
    expect(result.code).toBe(0);
    const got = idsOut(result);
    // Every record wholly inside what gzip -dc recovers is read; the one cut in half is a bad record.
    expect(got).toEqual(ids(0, got.length));
    expect(got.length).toBeGreaterThanOrEqual(want.length - 1);
    expect(result.stderr).toMatch(/cut\.json\.gz:1: gzip data ends early \(truncated file\)/);
    expect(result.stderr).toMatch(/could not be read to the end \(.*cut\.json\.gz\)/);
  });
});

describe('the end-of-run note says exactly what was skipped', () => {
  it('names skipped bytes and inputs cut short, and claims "every other record" only when it holds', async () => {
    const junk = write('junk-lines.ndjson', [line(events[0]!), 'garbage here', line(events[1]!)].join('\n') + '\n');
    const bytes = await runCtq(['*:*', '--input', junk]);
    expect(bytes.stderr).toMatch(/skipped 12 bytes in which records cannot be told apart \(1 place\); every record outside them was read/);
    const cut = write('cut-short.json.gz', trail(0, 9).subarray(0, 60));
    const short = await runCtq(['*:*', '--input', cut]);
    expect(short.stderr).not.toMatch(/every other record was read/);
    expect(short.stderr).toMatch(/could not be read to the end/);
  });

  it('names every file not read, or says how many and that --stats lists them', async () => {
    const tree = join(dir, 'notes');
    mkdirSync(tree);
    for (const name of ['a.txt', 'b.csv', 'c.md', 'd.xml', 'e.yaml']) writeFileSync(join(tree, name), 'x');
    const short = await runCtq(['*:*', '--input', tree]);
    expect(short.stderr).toMatch(/not read: .*a\.txt, .*b\.csv, .*c\.md and 2 more \(.*--stats lists them all\)/);
    const all = await runCtq(['*:*', '--input', tree, '--stats']);
    for (const name of ['a.txt', 'b.csv', 'c.md', 'd.xml', 'e.yaml']) expect(all.stderr).toContain(name);
  });
});


