/**
 * Every line is read exactly once, wherever chunk and read boundaries fall: random line lengths,
 * random chunk sizes, reads that end exactly on a newline (which once made the reader slice a
 * buffer it had already transferred to a worker: "Cannot perform Construct on a detached
 * ArrayBuffer", and 20–28 % of a file printed), threaded and not, from a file and from stdin.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery, type CompiledQuery } from '../../src/query/query';
import { scanLocal } from '../../src/scan/local-scan';
import { emptyStats } from '../../src/query/stats';
import { readLocalEvents } from '../../src/scan/read-events';
import { CHUNK_BYTES, readChunks } from '../../src/sources/local/chunks';
import { byteSourceOf } from '../../src/sources/local/file-source';
import { Rng } from '../support/synthetic-events';

const WORKER = new URL('../../dist/scan-worker.js', import.meta.url);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-chunks-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function compiled(matches: string[] = []): CompiledQuery {
  const result = compileQuery({ actions: ['*:*'], matches, window: { fromMs: null, toMs: null } });
  if (!result.ok) throw new Error(result.message);
  return result.query;
}

/** `count` NDJSON lines with ids 0…count-1, padded to random lengths (or exactly `fixed` bytes with the newline). */
function lines(rng: Rng, count: number, fixed?: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const head = `{"eventVersion":"1.08","eventID":"${i}","eventName":"E${i % 7}","pad":"`;
    const tail = '"}';
    const length = fixed !== undefined ? fixed - 1 - head.length - tail.length : rng.int(600);
    return head + 'x'.repeat(Math.max(0, length)) + tail;
  });
}

/** Stdin that delivers the bytes in pieces of random sizes, some ending exactly on a newline. */
function piecewise(rng: Rng, bytes: Buffer, alignToLines: boolean): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    let end = Math.min(bytes.length, at + 1 + rng.int(40_000));
    if (alignToLines) {
      const newline = bytes.indexOf(0x0a, end - 1);
      end = newline < 0 ? bytes.length : newline + 1;
    }
    pieces.push(bytes.subarray(at, end));
    at = end;
  }
  return Readable.from(pieces);
}

async function scanIds(options: { input: string; stdin?: Readable; threaded: boolean; chunkBytes: number }): Promise<string[]> {
  let out = '';
  const bad: string[] = [];
  await scanLocal({
    inputs: [options.input],
    filter: { query: compiled() },
    workerUrl: options.threaded ? WORKER : null,
    workers: 3,
    parallelAfterMs: 0,
    chunkBytes: options.chunkBytes,
    ...(options.stdin ? { stdin: options.stdin } : {}),
    stats: emptyStats(),
    write: ({ text }) => {
      out += text;
    },
    onBad: (origin, message) => bad.push(`${origin.line}: ${message}`),
  });
  expect(bad).toEqual([]);
  return out === '' ? [] : out.trimEnd().split('\n').map((line) => String((JSON.parse(line) as { eventID: string }).eventID));
}

const expectEachOnce = (ids: string[], count: number, label: string) => {
  expect(ids.length, label).toBe(count);
  expect(ids, label).toEqual(Array.from({ length: count }, (_, i) => String(i)));
};

describe.skipIf(!existsSync(WORKER))('every line read exactly once, whatever the boundaries', () => {
  it('reads 1,024-byte lines whole with workers, from a file and from stdin reads that end on newlines', async () => {
    const rng = new Rng(1024);
    const text = lines(rng, 3000, 1024).join('\n') + '\n';
    const file = join(dir, 'l1024.ndjson');
    writeFileSync(file, text);
    expectEachOnce(await scanIds({ input: file, threaded: true, chunkBytes: 64 * 1024 }), 3000, 'file');
    expectEachOnce(await scanIds({ input: '-', stdin: piecewise(rng, Buffer.from(text), true), threaded: true, chunkBytes: 64 * 1024 }), 3000, 'stdin');
  });

  it('holds over random line lengths, chunk sizes and read sizes, threaded and not, file and stdin', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const rng = new Rng(seed);
      const count = 200 + rng.int(1500);
      const text = lines(rng, count).join('\n') + (rng.next() < 0.5 ? '\n' : '');
      const file = join(dir, `random-${seed}.ndjson`);
      writeFileSync(file, text);
      const chunkBytes = 1 + rng.int(50_000);
      const threaded = seed % 2 === 0;
      const label = `seed ${seed}, chunk ${chunkBytes}, ${threaded ? 'threaded' : 'one thread'}`;
      expectEachOnce(await scanIds({ input: file, threaded, chunkBytes }), count, `${label}, file`);
      const stdin = piecewise(rng, Buffer.from(text), rng.next() < 0.5);
      expectEachOnce(await scanIds({ input: '-', stdin, threaded, chunkBytes }), count, `${label}, stdin`);
    }
  });

  it('gives the sequential reader the same lines', async () => {
    const rng = new Rng(77);
    const file = join(dir, 'sequential.ndjson');
    writeFileSync(file, lines(rng, 2500).join('\n') + '\n');
    const ids: string[] = [];
    for await (const item of readLocalEvents([file])) if (item.kind === 'event') ids.push(String(item.event.eventID));
    expectEachOnce(ids, 2500, 'readLocalEvents');
  });
});

describe('chunk size', () => {
  it('keeps chunks of a file within the chunk size when reads are as large as chunks (they were twice it: a 16 MB heap ran out holding their output)', async () => {
    const text = lines(new Rng(5), 12_000, 300).join('\n') + '\n';
    const file = join(dir, 'sized.ndjson');
    writeFileSync(file, text);
    const sizes: number[] = [];
    for await (const chunk of readChunks(byteSourceOf({ kind: 'file', path: file, size: Buffer.byteLength(text) }))) {
      if (chunk.format === 'text') sizes.push(chunk.bytes.length);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(Buffer.byteLength(text));
    expect(sizes.length).toBeGreaterThanOrEqual(4);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(CHUNK_BYTES);
  });
});
