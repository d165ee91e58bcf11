/**
 * The `--engine athena` flags, checked before anything runs. `--query-execution-context` and
 * `--result-configuration` take what the AWS CLI takes for `aws athena start-query-execution`: the
 * shorthand `Key=value,Key=value` or a JSON object.
 */
import { DEFAULT_DELIVERY_MARGIN_HOURS } from '../athena-sql';
import { GB, type QueryPlacement } from '../sources/athena/query-runner';
import { ACCOUNT_ID } from '../sources/s3/layout';
import type { RunOptions } from './run-options';

export interface AthenaPlan {
  readonly table: string;
  readonly placement: QueryPlacement;
  /** Partition filters; empty = every value of the projection. */
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly maxScanBytes: number | null;
  readonly deliveryMarginHours: number;
}

const TABLE = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+){0,2}$/;

/** `--accounts` is shared with s3:// inputs and checked in plan-run.ts. */
const ATHENA_ONLY = ['athenaTable', 'workGroup', 'queryExecutionContext', 'resultConfiguration', 'maxScanGb', 'deliveryMarginHours'] as const;

/** A usage problem as text, or null when the Athena flags fit the rest of the command line. */
export function athenaFlagProblem(options: RunOptions): string | null {
  const athena = options.engine === 'athena';
  if (!athena) {
    const given = ATHENA_ONLY.find((key) => options[key] !== undefined);
    return given === undefined ? null : `--${given === 'deliveryMarginHours' ? 'delivery-margin' : kebab(given)} applies to --engine athena`;
  }
  if (options.inputs.length > 0) return '--engine athena reads the trail table, not --input';
  if (options.athenaTable === undefined) return "--engine athena needs --athena-table (e.g. cloudtrail.org_trail; 'ctq athena-ddl' creates one)";
  if (options.state !== undefined || options.follow) return '--state and --follow are not available with --engine athena (each run is one set of queries)';
  if (options.rate !== undefined) return '--rate applies to LookupEvents, not --engine athena';
  return null;
}

export function parseAthenaPlan(options: RunOptions, regions: readonly string[] | 'all' | undefined): AthenaPlan | string {
  const table = options.athenaTable ?? '';
  if (!TABLE.test(table)) return `--athena-table: '${table}' is not a table name (table, database.table or catalog.database.table; letters, digits, '_')`;
  const context = parseShorthand(options.queryExecutionContext, '--query-execution-context', ['Database', 'Catalog']);
  if (typeof context === 'string') return context;
  const result = parseShorthand(options.resultConfiguration, '--result-configuration', ['OutputLocation']);
  if (typeof result === 'string') return result;
  if (result.OutputLocation !== undefined && !result.OutputLocation.startsWith('s3://')) {
    return `--result-configuration: OutputLocation must be an s3:// location, got '${result.OutputLocation}'`;
  }
  const accounts = options.accounts ?? [];
  const badAccount = accounts.find((a) => !ACCOUNT_ID.test(a));
  if (badAccount !== undefined || (options.accounts !== undefined && accounts.length === 0)) {
    return `--accounts: '${badAccount ?? ''}' is not a 12-digit account ID`;
  }
  const placement: QueryPlacement = {
    ...(options.workGroup !== undefined ? { workGroup: options.workGroup } : {}),
    ...(context.Database !== undefined ? { database: context.Database } : {}),
    ...(context.Catalog !== undefined ? { catalog: context.Catalog } : {}),
    ...(result.OutputLocation !== undefined ? { outputLocation: result.OutputLocation } : {}),
  };
  return {
    table,
    placement,
    accounts,
    regions: regions === undefined || regions === 'all' ? [] : regions,
    maxScanBytes: options.maxScanGb === undefined ? null : options.maxScanGb * GB,
    deliveryMarginHours: options.deliveryMarginHours ?? DEFAULT_DELIVERY_MARGIN_HOURS,
  };
}

/** `Key=value,Key=value` or `{"Key": "value"}`, keeping only the known keys; a message on error. */
function parseShorthand(text: string | undefined, flag: string, keys: readonly string[]): Partial<Record<string, string>> | string {
  if (text === undefined) return {};
  const trimmed = text.trim();
  let entries: [string, unknown][];
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `${flag}: expected a JSON object`;
      entries = Object.entries(parsed);
    } catch (error) {
      return `${flag}: not valid JSON (${(error as Error).message})`;
    }
  } else {
    entries = trimmed.split(',').map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [pair.trim(), undefined] : [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
    });
  }
  const out: Partial<Record<string, string>> = {};
  for (const [key, value] of entries) {
    if (!keys.includes(key)) return `${flag}: unknown key '${key}' (expected ${keys.join(', ')})`;
    if (typeof value !== 'string' || value === '') return `${flag}: ${key} needs a value (${key}=…)`;
    out[key] = value;
  }
  return out;
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
