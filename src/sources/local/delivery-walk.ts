/**
 * Local inputs in the order CloudTrail delivered their files, for thresholds. A bucket copied with
 * `aws s3 sync` is `AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/FILE`: the sorted walk reads all
 * of one region's days before the next region's, so one identity's calls in two regions a minute apart
 * reach the threshold windows days of event time apart.
 *
 * Each input is split into lanes already in delivery order, and the lanes are merged by the time in
 * each file's name (time-merge.ts, trail-file-name.ts):
 * - the year folders (`YYYY`) of one directory are one lane, walked in sorted order: date folders sort
 *   as the dates do, and the files of one day folder share their `ACCOUNT_CloudTrail_REGION_` prefix,
 *   so they sort by delivery time too. Only that lane's current day folder is listed at a time;
 * - every other directory (AWSLogs, organization, account, CloudTrail, region) is split into its own
 *   lanes, and every other file is a lane of one. A tree of thousands of files is thus read after
 *   listing the folders above the year folders and the first day folder of each region, not all of it;
 * - stdin, a named file: one lane each; an `s3://` input is one lane, its region folders merged the same way.
 * A file whose name carries no delivery time keeps its place in its lane (after the file before it);
 * one at the start of a lane is read before every timed file, in path order, so inputs without
 * trail file names (NDJSON, lookup-events output) are read exactly as in path order.
 */
import { join } from 'node:path';
import { deliveryTimeOf } from '../trail-file-name';
import { mergeInTimeOrder, type Lane } from '../time-merge';
import { fileEntry, isDigestPath, openInput, sortedEntries, walk, type Discovery, type InputSpec } from './discover';

/** CloudTrail's year folders: `YYYY` (cloudtrail-find-log-files.md). Account IDs (12 digits) are not. */
const YEAR_FOLDER = /^\d{4}$/;

/** Every file of `inputs` in delivery order (the counterpart of `discoverInputs`' path order). */
export async function* discoverInDeliveryOrder(inputs: readonly InputSpec[], options: { readonly incremental?: boolean } = {}): AsyncGenerator<Discovery> {
  const incremental = options.incremental === true;
  yield* mergeInTimeOrder(
    inputs.flatMap((input) => deliveryLanesOf(input, incremental)),
    discoveryTime,
  );
}

function deliveryLanesOf(input: InputSpec, incremental: boolean): Lane<Discovery>[] {
  const opened = openInput(input, incremental, 'delivery');
  if (opened.kind === 'directory') return directoryLanes(opened.path);
  const discoveries = opened.discoveries;
  return [Symbol.asyncIterator in discoveries ? discoveries[Symbol.asyncIterator]() : discoveries[Symbol.iterator]()];
}

/** The time a discovery sorts by: the delivery time in a file's (or S3 object's) name, else none. */
function discoveryTime(discovery: Discovery): number | null {
  if (discovery.kind !== 'file') return null;
  const file = discovery.file;
  return file.kind === 'file' ? deliveryTimeOf(file.path) : file.kind === 'stream' ? deliveryTimeOf(file.name) : null;
}

function directoryLanes(dir: string): Lane<Discovery>[] {
  const entries = sortedEntries(dir);
  if (!Array.isArray(entries)) return [[entries][Symbol.iterator]()];
  const lanes: Lane<Discovery>[] = [];
  const years: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (isDigestPath(path)) continue;
      if (YEAR_FOLDER.test(entry.name)) {
        // One lane for all the year folders, placed where the first of them sorts.
        if (years.length === 0) lanes.push(walkEach(years));
        years.push(path);
      } else {
        lanes.push(...directoryLanes(path));
      }
    } else {
      const found = fileEntry(path, entry);
      if (found !== null) lanes.push([found][Symbol.iterator]());
    }
  }
  return lanes;
}

/** The sorted walk of each folder in turn; `folders` may still grow until the first item is pulled. */
function* walkEach(folders: readonly string[]): Generator<Discovery> {
  for (const folder of folders) yield* walk(folder);
}
