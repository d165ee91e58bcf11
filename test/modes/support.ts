/**
 * Shared by the mode-equivalence tests (issue 9, "Behaviour unchanged"): the same events written in
 * every shape ctq reads, and ctq's output put in an order that does not depend on the shape.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { isJsonObject, type JsonObject } from '../../src/language/json';
import { REPO } from '../support/run-ctq';

export const DATASETS = join(REPO, '..', 'shared', 'datasets');
/** A test name for an input: datasets as `../shared/datasets/…`, the way the README names them. */
export function label(input: string): string {
  return input.startsWith(DATASETS) ? `../shared/datasets${input.slice(DATASETS.length)}` : input;
}

export const WORKER_PROBE = fileURLToPath(new URL('./worker-probe.cjs', import.meta.url));

/** NDJSON lines sorted by eventID (then by the whole line): the order every shape of input can agree on. */
export function byEventId(ndjsonText: string): string[] {
  const lines = ndjsonText === '' ? [] : ndjsonText.replace(/\n$/, '').split('\n');
  const keyed = lines.map((line) => {
    const value: unknown = JSON.parse(line);
    const id = isJsonObject(value) && typeof value['eventID'] === 'string' ? value['eventID'] : '';
    return { id, line };
  });
  keyed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.line < b.line ? -1 : a.line > b.line ? 1 : 0));
  return keyed.map((entry) => entry.line);
}

/** The records of a JSON file: a trail document `{"Records": [...]}`, or an array of records. */
export function recordsOfFile(path: string): JsonObject[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return []; // a file damaged as published: the shapes compared are built from the intact ones
  }
  const list = isJsonObject(value) ? value['Records'] : value;
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
}

/** Every record of the `.json` files of a dataset directory, in file-name order; [] when it is absent. */
export function datasetRecords(name: string): JsonObject[] {
  const dir = join(DATASETS, name);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => recordsOfFile(join(dir, file)));
}

export interface EventShapes {
  /** One record a line, `JSON.stringify` of each. */
  readonly ndjson: string;
  /** An `AWSLogs/` tree of gzipped trail files, as `aws s3 sync` copies a trail bucket. */
  readonly tree: string;
  /** The tree's trail documents, uncompressed and concatenated, as `zcat` of the tree prints them. */
  readonly concatenated: Buffer;
  /** The NDJSON cut into gzipped files of 200 lines (as log shippers deliver it), in one directory. */
  readonly gzippedNdjson: string;
}

function text(record: JsonObject, name: string, fallback: string): string {
  const value = record[name];
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/**
 * Writes the same records under `dir` as NDJSON, as gzipped NDJSON files and as a trail tree. The
 * tree is shaped like a real trail bucket (CloudTrail user guide, cloudtrail-find-log-files.md:
 * `AWSLogs/<account>/CloudTrail/<region>/<YYYY>/<MM>/<DD>/<account>_CloudTrail_<region>_
 * <YYYYMMDDTHHmmZ>_<unique>.json.gz`): one folder per account, region and day, files of 10 to 200
 * records. Every record's bytes are `JSON.stringify(record)` in every shape, so the outputs can be
 * compared byte for byte.
 */
export function writeShapes(dir: string, records: readonly JsonObject[]): EventShapes {
  const ndjsonPath = join(dir, 'events.ndjson');
  writeFileSync(ndjsonPath, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
  const folders = new Map<string, JsonObject[]>();
  for (const record of records) {
    const account = text(record, 'recipientAccountId', '111122223333');
    const region = text(record, 'awsRegion', 'us-east-1');
    const day = text(record, 'eventTime', '2024-01-01T00:00:00Z').slice(0, 10).split('-').join('/');
    const folder = `${account}/CloudTrail/${region}/${day}`;
    folders.set(folder, [...(folders.get(folder) ?? []), record]);
  }
  const tree = join(dir, 'AWSLogs');
  const documents: Buffer[] = [];
  let fileNumber = 0;
  for (const folder of [...folders.keys()].sort()) {
    const inFolder = folders.get(folder)!;
    const [account, , region] = folder.split('/') as [string, string, string];
    mkdirSync(join(tree, folder), { recursive: true });
    for (let start = 0; start < inFolder.length; fileNumber++) {
      const size = 10 + ((fileNumber * 37) % 191); // 10..200 records, varied
      const slice = inFolder.slice(start, start + size);
      start += size;
      const stamp = text(slice[0]!, 'eventTime', '2024-01-01T00:00:00Z').replace(/[-:]/g, '').slice(0, 13);
      const name = `${account}_CloudTrail_${region}_${stamp}Z_${fileNumber.toString(36).padStart(16, '0')}.json.gz`;
      const document = Buffer.from(JSON.stringify({ Records: slice }));
      documents.push(document);
      writeFileSync(join(tree, folder, name), gzipSync(document));
    }
  }
  const gzippedNdjson = join(dir, 'ndjson-gz');
  mkdirSync(gzippedNdjson);
  for (let start = 0; start < records.length; start += 200) {
    const lines = records.slice(start, start + 200).map((record) => `${JSON.stringify(record)}\n`);
    writeFileSync(join(gzippedNdjson, `events-${String(start / 200).padStart(5, '0')}.ndjson.gz`), gzipSync(lines.join('')));
  }
  return { ndjson: ndjsonPath, tree, concatenated: Buffer.concat(documents), gzippedNdjson };
}
