/**
 * The data shapes every local benchmark runs on. A target met on our own generator's output and
 * missed on another shape is missed, so each benchmark prints all of these:
 *
 * - `generated`: the synthetic generator's NDJSON (compact JSON, ~600-byte events);
 * - `spaced`: ~800-byte events written as most tools write JSON (`{"key": value, …}`, Python's
 *   `json.dumps` separators), real events' fields padded with a realistic user agent and request
 *   parameters;
 * - `real-ndjson`: the real Stratus Red Team events from ../shared/datasets, re-issued with fresh
 *   eventIDs and times, as NDJSON;
 * - `real-tree`: the same real events as an `aws s3 sync` copy of a trail bucket: many gzipped trail
 *   files of 10–200 records, 4 regions, a month of days (`AWSLogs/<acct>/CloudTrail/<region>/Y/M/D/`);
 * - `real-small`: a small directory of real trail files (a few MB), where start-up cost shows.
 *
 * Every shape is generated once under bench/data/ and reused.
 */
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { JsonObject, JsonValue } from '../src/language/json';
import { Rng, syntheticEventStream } from '../test/support/synthetic-events';

export type ShapeName = 'generated' | 'spaced' | 'real-ndjson' | 'real-tree' | 'real-small';

export interface Shape {
  readonly name: ShapeName;
  /** A file (NDJSON) or a directory (trail tree). */
  readonly path: string;
  readonly kind: 'ndjson' | 'tree';
  readonly events: number;
  /** Uncompressed bytes of JSON. */
  readonly bytes: number;
  readonly description: string;
}

const DATA = join('bench', 'data');
const REAL_DATASET = '../shared/datasets/stratus-detonation-logs';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'];
const ACCOUNT = '111122223333';

/** Python's `json.dumps` layout: a space after every `:` and `,` outside strings. */
export function spacedJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(spacedJson).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}: ${spacedJson(v as JsonValue)}`)
    .join(', ')}}`;
}

/** The real events of the shared dataset, or null when it is absent (the real shapes are then skipped, and say so). */
export function realEvents(): JsonObject[] | null {
  if (!existsSync(REAL_DATASET)) return null;
  const events: JsonObject[] = [];
  for (const name of readdirSync(REAL_DATASET).filter((n) => n.endsWith('.json')).sort()) {
    const parsed = JSON.parse(readFileSync(join(REAL_DATASET, name), 'utf8')) as JsonValue;
    const records = Array.isArray(parsed) ? parsed : (parsed as { Records?: JsonValue[] }).Records ?? [];
    for (const record of records) if (record !== null && typeof record === 'object' && !Array.isArray(record)) events.push(record);
  }
  return events;
}

/** Real events, re-issued forever: fresh eventIDs, times spread over a month, regions rotated. */
function* reissued(events: readonly JsonObject[], seed: number): Generator<JsonObject> {
  const rng = new Rng(seed);
  const start = Date.parse('2026-10-01T00:00:00Z');
  const month = 30 * 24 * 3600 * 1000;
  for (let i = 0; ; i++) {
    const base = events[i % events.length]!;
    const region = REGIONS[rng.int(REGIONS.length)]!;
    const time = new Date(start + Math.floor((i * 7919) % month)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    yield { ...base, eventID: rng.uuid(), eventTime: time, awsRegion: region, recipientAccountId: ACCOUNT };
  }
}

async function writeLines(path: string, lines: Iterable<string>, targetBytes: number): Promise<{ events: number; bytes: number }> {
  const out = createWriteStream(path);
  let bytes = 0;
  let events = 0;
  for (const line of lines) {
    if (!out.write(line + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    bytes += Buffer.byteLength(line) + 1;
    events++;
    if (bytes >= targetBytes) break;
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return { events, bytes };
}

/** Trail files as CloudTrail delivers them: per region and day, 10–200 records each, gzipped. */
function writeTree(dir: string, events: Iterable<JsonObject>, targetBytes: number, seed: number): { events: number; bytes: number; files: number } {
  const rng = new Rng(seed);
  let bytes = 0;
  let count = 0;
  let files = 0;
  let batch: JsonObject[] = [];
  let batchSize = 10 + rng.int(191);
  const flush = () => {
    if (batch.length === 0) return;
    const first = batch[0]!;
    const region = String(first.awsRegion);
    const [y, m, d] = String(first.eventTime).slice(0, 10).split('-');
    const folder = join(dir, 'AWSLogs', ACCOUNT, 'CloudTrail', region, y!, m!, d!);
    mkdirSync(folder, { recursive: true });
    const stamp = String(first.eventTime).replace(/[-:]/g, '').slice(0, 13) + 'Z';
    const text = JSON.stringify({ Records: batch });
    bytes += text.length;
    writeFileSync(join(folder, `${ACCOUNT}_CloudTrail_${region}_${stamp}_${rng.uuid().slice(0, 16)}.json.gz`), gzipSync(text));
    files++;
    batch = [];
    batchSize = 10 + rng.int(191);
  };
  for (const event of events) {
    batch.push(event);
    count++;
    if (batch.length >= batchSize) flush();
    if (bytes >= targetBytes) break;
  }
  flush();
  return { events: count, bytes, files };
}

function padded(event: JsonObject, rng: Rng): JsonObject {
  // Real events run 400–3,000 bytes; the generator's are smaller. Request parameters and a long
  // user agent bring them to ~800 bytes without adding the literals the queries look for.
  return {
    ...event,
    userAgent: `aws-cli/2.15.${rng.int(40)} md/awscrt#0.19.19 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe`,
    requestParameters: { ...(event.requestParameters as JsonObject | null ?? {}), maxResults: 1000, filterSet: { items: [{ name: 'tag:Name', valueSet: { items: [{ value: `web-${rng.int(99)}` }] } }] } },
  };
}

/**
 * Every shape, generated on first use. `mb` is the size of the large shapes; `real-small` is always a
 * few MB. Shapes built from real events are missing (and reported as such) when the dataset is absent.
 */
export async function ensureShapes(mb: number): Promise<{ shapes: Shape[]; missing: string[] }> {
  mkdirSync(DATA, { recursive: true });
  const target = mb * 1e6;
  const shapes: Shape[] = [];
  const missing: string[] = [];
  const cached = (name: string, build: () => Promise<Omit<Shape, 'name' | 'path'>> | Omit<Shape, 'name' | 'path'>, path: string, shape: ShapeName) =>
    (async () => {
      const marker = join(DATA, `${name}.meta.json`);
      if (existsSync(marker) && existsSync(path)) return { name: shape, path, ...(JSON.parse(readFileSync(marker, 'utf8')) as Omit<Shape, 'name' | 'path'>) };
      process.stderr.write(`generating bench/data/${name} (once)…\n`);
      const meta = await build();
      writeFileSync(marker, JSON.stringify(meta));
      return { name: shape, path, ...meta };
    })();

  const genPath = join(DATA, `generated-${mb}mb.ndjson`);
  shapes.push(
    await cached(`generated-${mb}mb`, async () => {
      const stream = syntheticEventStream({ count: Number.MAX_SAFE_INTEGER, seed: 7, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z') });
      const r = await writeLines(genPath, map(stream, (e) => JSON.stringify(e)), target);
      return { kind: 'ndjson', ...r, description: 'the generator’s compact NDJSON' };
    }, genPath, 'generated'),
  );

  const spacedPath = join(DATA, `spaced-${mb}mb.ndjson`);
  shapes.push(
    await cached(`spaced-${mb}mb`, async () => {
      const rng = new Rng(11);
      const stream = syntheticEventStream({ count: Number.MAX_SAFE_INTEGER, seed: 9, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z') });
      const r = await writeLines(spacedPath, map(stream, (e) => spacedJson(padded(e, rng))), target);
      return { kind: 'ndjson', ...r, description: '~800-byte events with spaces after : and , (json.dumps style)' };
    }, spacedPath, 'spaced'),
  );

  const real = realEvents();
  if (real === null) {
    missing.push(`real-ndjson, real-tree, real-small (${REAL_DATASET} is absent)`);
    return { shapes, missing };
  }
  const realPath = join(DATA, `real-${mb}mb.ndjson`);
  shapes.push(
    await cached(`real-${mb}mb`, async () => {
      const r = await writeLines(realPath, map(reissued(real, 3), (e) => JSON.stringify(e)), target);
      return { kind: 'ndjson', ...r, description: `real Stratus Red Team events (${real.length}) re-issued with fresh eventIDs` };
    }, realPath, 'real-ndjson'),
  );
  const treePath = join(DATA, `real-tree-${mb}mb`);
  shapes.push(
    await cached(`real-tree-${mb}mb`, () => {
      const r = writeTree(treePath, reissued(real, 5), target, 5);
      return { kind: 'tree', events: r.events, bytes: r.bytes, description: `${r.files} gzipped trail files of 10–200 real records, 4 regions, 30 days` };
    }, treePath, 'real-tree'),
  );
  const smallPath = join(DATA, 'real-small-tree');
  shapes.push(
    await cached('real-small-tree', () => {
      const r = writeTree(smallPath, reissued(real, 13), 3.7e6, 13);
      return { kind: 'tree', events: r.events, bytes: r.bytes, description: `${r.files} gzipped real trail files, ${(r.bytes / 1e6).toFixed(1)} MB uncompressed` };
    }, smallPath, 'real-small'),
  );
  return { shapes, missing };
}

function* map<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}
