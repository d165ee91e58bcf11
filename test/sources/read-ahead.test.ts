/** Small files read ahead of the scan (src/sources/local/read-ahead.ts): the same discoveries, the same bytes, the same failures. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Discovery } from '../../src/sources/local/discover';
import { byteSourceOf } from '../../src/sources/local/file-source';
import { ReadAhead } from '../../src/sources/local/read-ahead';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-read-ahead-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function* listed(discoveries: readonly Discovery[]): AsyncGenerator<Discovery> {
  yield* discoveries;
}

async function bytesOf(discovery: Discovery, ahead: ReadAhead): Promise<string> {
  if (discovery.kind !== 'file') return `(${discovery.kind})`;
  const parts: Buffer[] = [];
  for await (const piece of byteSourceOf(discovery.file, undefined, ahead).open()) parts.push(Buffer.from(piece));
  return Buffer.concat(parts).toString('utf8');
}

describe('reading small files ahead', () => {
  it('hands on every discovery in order, each file with its own bytes, the same file named twice read twice', async () => {
    const discoveries: Discovery[] = [];
    for (let i = 0; i < 40; i++) {
      const path = join(dir, `f${i}.json`);
      writeFileSync(path, `{"n":${i}}`);
      discoveries.push({ kind: 'file', file: { kind: 'file', path, size: `{"n":${i}}`.length } });
      if (i % 7 === 0) discoveries.push({ kind: 'missing', path: join(dir, `gone${i}`), message: 'no such file' });
    }
    discoveries.push({ kind: 'file', file: { kind: 'file', path: join(dir, 'f3.json'), size: 7 } });
    const ahead = new ReadAhead(1 << 20);
    const seen: Discovery[] = [];
    const texts: string[] = [];
    for await (const discovery of ahead.over(listed(discoveries))) {
      seen.push(discovery);
      texts.push(await bytesOf(discovery, ahead));
    }
    expect(seen).toEqual(discoveries);
    expect(texts).toEqual(discoveries.map((d) => (d.kind === 'file' && d.file.kind === 'file' ? readable(d.file) : `(${d.kind})`)));
  });

  it('is not used for files over the size, nor a second time', async () => {
    const path = join(dir, 'big.json');
    writeFileSync(path, '{"big":true}');
    const file = { kind: 'file' as const, path, size: 12 };
    const small = new ReadAhead(100);
    for await (const _ of small.over(listed([{ kind: 'file', file }]))) void _;
    expect(small.take(file)).toBeInstanceOf(Promise);
    expect(small.take(file)).toBeUndefined();
    const tiny = new ReadAhead(4);
    for await (const _ of tiny.over(listed([{ kind: 'file', file }]))) void _;
    expect(tiny.take(file)).toBeUndefined();
  });

  it('fails where the blocking read fails when a file read ahead is gone', async () => {
    const path = join(dir, 'vanished.json');
    const file = { kind: 'file' as const, path, size: 2 };
    const ahead = new ReadAhead(1 << 20);
    for await (const _ of ahead.over(listed([{ kind: 'file', file }]))) void _;
    const early = await bytesOf({ kind: 'file', file }, ahead).catch((e: Error) => e.message);
    const blocking = await bytesOf({ kind: 'file', file }, new ReadAhead(1 << 20)).catch((e: Error) => e.message);
    expect(early).toMatch(/ENOENT/);
    expect(early).toBe(blocking);
  });
});

function readable(file: { readonly path: string }): string {
  return `{"n":${/f(\d+)\.json$/.exec(file.path)![1]}}`;
}
