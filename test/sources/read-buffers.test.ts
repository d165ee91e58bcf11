/**
 * The reader reads into the same few buffers again once a chunk is done with: the bytes of every
 * chunk must still be exactly the input's when it is handed on, however values lie across reads.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChunks } from '../../src/sources/local/chunks';
import { byteSourceOf } from '../../src/sources/local/file-source';
import { Rng } from '../support/synthetic-events';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-read-buffers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The chunks' bytes, each copied as it is handed on (before the next is asked for), joined. */
async function readBack(text: string): Promise<{ bytes: Buffer; chunks: number }> {
  const file = join(dir, 'input.json');
  writeFileSync(file, text);
  const copies: Buffer[] = [];
  for await (const chunk of readChunks(byteSourceOf({ kind: 'file', path: file, size: Buffer.byteLength(text) }), { reuseBuffers: true })) {
    if (chunk.format === 'text') copies.push(Buffer.from(chunk.bytes));
  }
  return { bytes: Buffer.concat(copies), chunks: copies.length };
}

describe('reading into reused buffers', () => {
  it('hands on every byte of a multi-read NDJSON file as read', async () => {
    const rng = new Rng(11);
    const text = Array.from({ length: 20_000 }, (_, i) => `{"eventID":"${i}","pad":"${'x'.repeat(rng.int(600))}"}\n`).join('');
    const { bytes, chunks } = await readBack(text);
    expect(chunks).toBeGreaterThan(4);
    expect(bytes.equals(Buffer.from(text))).toBe(true);
  });

  it('keeps the reads a value spanning them lies in (a pretty-printed document of several MB, then NDJSON)', async () => {
    const records = Array.from({ length: 8000 }, (_, i) => ({ eventID: String(i), pad: 'y'.repeat(400) }));
    const text = JSON.stringify({ Records: records }, null, 2) + '\n' + records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const { bytes } = await readBack(text);
    expect(bytes.equals(Buffer.from(text))).toBe(true);
  });
});

describe('BufferPool', () => {
  it('never takes back a buffer a read is still filling (the file source reads one ahead)', async () => {
    const { BufferPool } = await import('../../src/sources/local/read-buffers');
    const pool = new BufferPool();
    const handedOn = pool.take(16);
    const readingAhead = pool.take(16);
    pool.filled(handedOn);
    // The reader is done with everything: only the handed-on buffer may be reused.
    pool.reclaim(() => false);
    const next = pool.take(16);
    expect(next).toBe(handedOn);
    expect(next).not.toBe(readingAhead);
    pool.filled(readingAhead);
    pool.filled(next);
    pool.reclaim(() => false);
    expect([pool.take(16), pool.take(16)]).toEqual(expect.arrayContaining([readingAhead, handedOn]));
  });
});

describe('reading into shared buffers (chunks a worker reads in place)', () => {
  /** The chunks as handed on, kept (not copied) as a worker would hold them; `answered` says when each may be read into again. */
  async function readKept(text: string, answered: (held: Set<ArrayBufferLike>) => void): Promise<Uint8Array[]> {
    const file = join(dir, 'shared.json');
    writeFileSync(file, text);
    const held = new Set<ArrayBufferLike>();
    const kept: Uint8Array[] = [];
    const source = byteSourceOf({ kind: 'file', path: file, size: Buffer.byteLength(text) });
    for await (const chunk of readChunks(source, { reuseBuffers: true, sharedBuffers: { ready: true, inUse: (memory) => held.has(memory) } })) {
      if (chunk.format !== 'text') continue;
      kept.push(chunk.bytes);
      if (chunk.bytes.buffer instanceof SharedArrayBuffer) held.add(chunk.bytes.buffer);
      answered(held);
    }
    return kept;
  }

  const rng = new Rng(12);
  const text = Array.from({ length: 20_000 }, (_, i) => `{"eventID":"${i}","pad":"${'z'.repeat(rng.int(600))}"}\n`).join('');

  it('reads into shared memory, and never into memory still in use', async () => {
    const kept = await readKept(text, () => {});
    expect(kept.filter((bytes) => bytes.buffer instanceof SharedArrayBuffer).length).toBeGreaterThan(4);
    expect(Buffer.concat(kept).equals(Buffer.from(text))).toBe(true);
  });

  it('reads into a buffer again once it is no longer in use (the check above is not vacuous)', async () => {
    // Every chunk is answered at once: its memory is read into again, so the chunks kept change under us.
    const kept = await readKept(text, (held) => held.clear());
    expect(Buffer.concat(kept).equals(Buffer.from(text))).toBe(false);
  });
});
