/**
 * Inputs that are not local files (S3 objects, Athena results) reach the pipeline as named byte
 * sources from an input that discovers them: read like files, named by their own names.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../src/query/query';
import { emptyStats } from '../../src/query/stats';
import { scanLocal } from '../../src/scan/local-scan';
import type { ByteSource } from '../../src/sources/byte-source';
import type { ExternalInput } from '../../src/sources/local';
import { syntheticEvents } from '../support/synthetic-events';

const events = syntheticEvents({ count: 50, seed: 3 });
const trail = Buffer.from(JSON.stringify({ Records: events.slice(0, 25) }));
const ndjson = Buffer.from(events.slice(25).map((e) => JSON.stringify(e)).join('\n') + '\n');

/** A source that hands its bytes over in small pieces, as a network stream does. */
function memorySource(name: string, bytes: Buffer): ByteSource {
  return {
    name,
    size: bytes.length,
    async *open() {
      for (let at = 0; at < bytes.length; at += 1000) yield new Uint8Array(bytes.subarray(at, at + 1000));
    },
  };
}

function bucket(objects: Record<string, Buffer>): ExternalInput {
  return {
    name: 's3://bucket/',
    async *discover() {
      for (const [key, bytes] of Object.entries(objects)) yield { kind: 'file', file: { kind: 'stream', ...memorySource(`s3://bucket/${key}`, bytes) } };
    },
  };
}

describe('named byte sources in the local pipeline', () => {
  it('reads gzipped and plain objects like files, damage named by the object', async () => {
    const compiled = compileQuery({ actions: ['*:*'], matches: [], window: { fromMs: null, toMs: null } });
    if (!compiled.ok) throw new Error(compiled.message);
    let out = '';
    const bad: string[] = [];
    const stats = emptyStats();
    await scanLocal({
      inputs: [bucket({ 'a.json.gz': gzipSync(trail), 'b.ndjson': ndjson, 'c.json': Buffer.from('{"eventVersion":"1.08",\n') })],
      filter: { query: compiled.query },
      workerUrl: null,
      stats,
      write: ({ text }) => {
        out += text;
      },
      onBad: (origin, message) => bad.push(`${origin.source}:${origin.line}: ${message}`),
    });
    expect(out).toBe(events.map((e) => JSON.stringify(e) + '\n').join(''));
    expect(bad).toEqual([expect.stringMatching(/^s3:\/\/bucket\/c\.json:1: /)]);
    expect(stats).toMatchObject({ files: 3, eventsScanned: 50, badRecords: 1 });
  });
});
