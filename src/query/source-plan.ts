/**
 * The round section of a run's plan: where events are read from and everything that read needs, per
 * kind of source. Each kind carries only the flags that apply to it (no `rate` on a local scan, no
 * `workers` on LookupEvents, no `--explain` on local files alone), so a round cannot act on a flag that
 * the planner rejected or ignored. The flags were checked in plan-run.ts before this is built.
 */
import { isS3Url } from '../sources/s3/location';
import type { AthenaPlan } from './athena-flags';
import type { RunOptions } from './run-options';

/** Regions to read: a list, every region (`all`), or unset (the default region / every region folder). */
export type RegionChoice = readonly string[] | 'all' | undefined;

/**
 * `--region`, `--profile` and `--endpoint-url` as given; what is unset, the AWS conventions fill when the
 * client is made (AWS_REGION, AWS_PROFILE, the profile's region, AWS_ENDPOINT_URL_S3 for S3).
 */
export interface ConnectionPlan {
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
}

/** What a scan of `--input` reads with: the inputs as named, and the worker threads. */
interface ScanSection {
  readonly inputs: readonly string[];
  /** `--workers`; null: the number of cores. */
  readonly workers: number | null;
  /** Some input is `-`: an abort must end the read of a stdin that may never close. */
  readonly readsStdin: boolean;
}

/** Local files, directories and stdin. */
export interface LocalSourcePlan extends ScanSection {
  readonly kind: 'local';
}

/** Some input is an s3:// prefix (local paths may be named beside it). */
export interface S3SourcePlan extends ScanSection {
  readonly kind: 's3';
  /** The region folders to read. */
  readonly regions: RegionChoice;
  /** `--accounts`: the account folders to read; null: every one. */
  readonly accounts: readonly string[] | null;
  readonly connection: ConnectionPlan;
  /** `--explain`: list the folders to read, read no object. */
  readonly explain: boolean;
}

/** CloudTrail event history through LookupEvents. */
export interface LookupEventsSourcePlan {
  readonly kind: 'lookup-events';
  readonly regions: RegionChoice;
  readonly connection: ConnectionPlan;
  /** `--rate`: calls per second per account and region; null: the documented limit. */
  readonly rate: number | null;
  /** `--explain`: print the lookups, call nothing. */
  readonly explain: boolean;
}

/** The trail table through Amazon Athena; `connection` is Athena's (S3's comes from the environment). */
export interface AthenaSourcePlan {
  readonly kind: 'athena';
  readonly athena: AthenaPlan;
  readonly connection: ConnectionPlan;
  /** `--explain`: print the SQL and the partitions it reads, run nothing. */
  readonly explain: boolean;
}

export type SourcePlan = LocalSourcePlan | S3SourcePlan | LookupEventsSourcePlan | AthenaSourcePlan;

/** The sources read by scanning `--input` (local paths, s3:// prefixes beside them). */
export type ScanSourcePlan = LocalSourcePlan | S3SourcePlan;

export function isScanSource(source: SourcePlan): source is ScanSourcePlan {
  return source.kind === 'local' || source.kind === 's3';
}

/** The source of a run whose flags were checked; `athena` is the parsed `--engine athena` plan when that engine was chosen. */
export function planSource(options: RunOptions, regions: RegionChoice, athena: AthenaPlan | null): SourcePlan {
  const connection = connectionOf(options);
  if (athena !== null) return Object.freeze({ kind: 'athena', athena, connection, explain: options.explain });
  if (options.inputs.length === 0) {
    return Object.freeze({ kind: 'lookup-events', regions, connection, rate: options.rate ?? null, explain: options.explain });
  }
  const scan: ScanSection = { inputs: options.inputs, workers: options.workers ?? null, readsStdin: options.inputs.includes('-') };
  if (!options.inputs.some(isS3Url)) return Object.freeze({ kind: 'local', ...scan });
  return Object.freeze({
    kind: 's3',
    ...scan,
    regions,
    accounts: options.accounts ?? null,
    connection,
    explain: options.explain,
  });
}

function connectionOf(options: RunOptions): ConnectionPlan {
  return Object.freeze({
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
  });
}
