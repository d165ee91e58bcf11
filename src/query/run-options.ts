/**
 * What planning a run reads of the command line: every flag that decides how a run reads, filters and
 * writes. Declared here, below `cli/`, so that `query/` never imports `cli/`: the CLI's options extend
 * it with the flags only the CLI acts on (rule files, --debug), and a library user can plan a run
 * without the CLI.
 */
import type { OutputFormat } from '../output/sinks';

/** Where events come from: local files, CloudTrail LookupEvents, or the trail table through Athena. Unset: --input decides. */
export type Engine = 'local' | 'lookup-events' | 'athena';

/** `--overlap`'s default: minutes back from the last run that --state/--follow read again, for late deliveries. */
export const DEFAULT_OVERLAP_MINUTES = 30;
/** `--interval`'s default: seconds between --follow's polls. */
export const DEFAULT_INTERVAL_SECONDS = 60;

export interface RunOptions {
  readonly actions: readonly string[];
  /** Every `--match` expression, then each `--match-file`'s (already read). */
  readonly matches: readonly string[];
  readonly matchFiles: readonly string[];
  readonly inputs: readonly string[];
  readonly from?: string;
  readonly to?: string;
  readonly lastMinutes?: string;
  readonly strict: boolean;
  readonly stats: boolean;
  /** Worker threads for local inputs; unset: the number of cores. */
  readonly workers?: number;
  // LookupEvents and s3://
  readonly region?: string;
  readonly regions?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  readonly rate?: number;
  readonly explain: boolean;
  readonly accounts?: readonly string[];
  // identity and output
  readonly enrich: boolean;
  readonly summary: boolean;
  readonly groupBy?: string;
  readonly format: OutputFormat;
  readonly columns?: readonly string[];
  readonly report?: string;
  readonly state?: string;
  readonly follow: boolean;
  /** Unset: DEFAULT_OVERLAP_MINUTES. */
  readonly overlapMinutes?: number;
  /** Unset: DEFAULT_INTERVAL_SECONDS. */
  readonly intervalSeconds?: number;
  // Amazon Athena
  readonly engine?: Engine;
  readonly athenaTable?: string;
  readonly workGroup?: string;
  readonly queryExecutionContext?: string;
  readonly resultConfiguration?: string;
  readonly maxScanGb?: number;
  readonly deliveryMarginHours?: number;
}
