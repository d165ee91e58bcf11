/**
 * `--region all`: the regions of the caller's partition, from the AWS SDK's own endpoint data
 * (the `partitions.json` that `@aws-sdk/util-endpoints` ships; in SDK 3.9xx+ it is inlined into
 * `@aws-sdk/core` as `partitionsInfo`). Using the SDK's data means a new region arrives with an SDK
 * update, and no list is kept by hand here.
 *
 * `partitionsInfo` is not exported from any public entry point, so the module is read as data:
 * its text is `export const partitionsInfo = {…JSON…};`. The file is located from the installed
 * `@aws-sdk/client-cloudtrail`, whose dependency it is. Loaded only when `all` is asked for.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface PartitionData {
  readonly id: string;
  readonly regionRegex: string;
  readonly regions: Readonly<Record<string, unknown>>;
}

const PARTITIONS_MODULE = 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js';

let cached: Promise<readonly PartitionData[]> | null = null;

export function loadPartitions(): Promise<readonly PartitionData[]> {
  cached ??= readPartitions();
  return cached;
}

async function readPartitions(): Promise<readonly PartitionData[]> {
  const require = createRequire(import.meta.url);
  const clientPackage = require.resolve('@aws-sdk/client-cloudtrail/package.json');
  const corePackage = createRequire(clientPackage).resolve('@aws-sdk/core/package.json');
  const text = await readFile(join(dirname(corePackage), PARTITIONS_MODULE), 'utf8');
  const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  const data = JSON.parse(json) as { partitions?: PartitionData[] };
  if (!Array.isArray(data.partitions)) throw new Error(`no partitions in the AWS SDK's endpoint data (${PARTITIONS_MODULE})`);
  return data.partitions;
}

/**
 * The partition a region belongs to: listed by name, else by the partition's region pattern (how
 * the SDK's own `partition()` resolves), else `aws`.
 */
export function partitionOf(partitions: readonly PartitionData[], region: string): PartitionData | undefined {
  return (
    partitions.find((p) => Object.hasOwn(p.regions, region)) ??
    partitions.find((p) => new RegExp(p.regionRegex).test(region)) ??
    partitions.find((p) => p.id === 'aws')
  );
}

/**
 * Every region of `home`'s partition. Pseudo-regions such as `aws-global` (an endpoint alias, not a
 * region with its own event history) do not match the partition's region pattern and are left out.
 */
export async function partitionRegions(home: string): Promise<string[]> {
  const partitions = await loadPartitions();
  const partition = partitionOf(partitions, home);
  if (partition === undefined) return [home];
  const pattern = new RegExp(partition.regionRegex);
  return Object.keys(partition.regions).filter((r) => pattern.test(r)).sort();
}

/** The regions a run covers: the home region by default, `all` for its partition, or those named. */
export async function selectRegions(requested: readonly string[] | 'all' | undefined, home: string): Promise<string[]> {
  if (requested === 'all') return partitionRegions(home);
  if (requested === undefined || requested.length === 0) return [home];
  return [...new Set(requested)];
}
