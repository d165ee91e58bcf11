/**
 * One run, planned before any event is read: the time window, the compiled query and its chainOf
 * arguments, what identity the run needs, where events come from and with what (the round section,
 * source-plan.ts), how often (--follow) and how they are written. Every problem found here is a usage
 * error (exit 2, nothing on stdout). The plan is frozen: nothing later patches it; what a run learns
 * while reading (the identity graph) travels with the matches instead (see output/match-record.ts).
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { graphOf, identityFunctions } from '../identity';
import { EVENT_TABLE_COLUMNS } from '../output/event-table';
import type { OutputFormat } from '../output/sinks';
import type { SummaryOptions } from '../output/summary';
import { SUMMARY_TABLE_COLUMNS } from '../output/summary-table';
import { terminalSafe } from '../output/terminal-safe';
import type { RuleSpec } from '../rules/rule';
import type { FingerprintedQuery } from '../state/fingerprint';
import { ThresholdStage } from '../detect/threshold-stage';
import { ACCOUNT_ID } from '../sources/s3/layout';
import { isS3Url, parseS3Url } from '../sources/s3/location';
import { athenaFlagProblem, parseAthenaPlan } from './athena-flags';
import { checkChainArguments } from './chain-arguments';
import { graphDescriptionOf, type GraphDescription } from './identity-passes';
import { usesFunction } from './expression-calls';
import { compileQuery, type CompiledQuery } from './query';
import { DEFAULT_INTERVAL_SECONDS, DEFAULT_OVERLAP_MINUTES, type RunOptions } from './run-options';
import { isScanSource, planSource, type RegionChoice, type SourcePlan } from './source-plan';
import { splitTopLevel } from './split-list';
import { groupingReadsGraph, summaryOptionsFrom, summarySpecOf, type SummarySpec } from './summary-plan';
import type { CliThreshold } from './threshold-flags';
import { makeWindow, type TimeWindow } from './time-window';

/** A usage problem found before anything was read. */
export class UsageProblem {
  /** `terminalSafe`: rendered for a terminal already (an expression with its caret), to be printed as is. */
  constructor(
    readonly message: string,
    readonly terminalSafe = false,
  ) {}
}

/**
 * What the run needs of identity: nothing; the graph of every event read (`session()`, `--enrich`,
 * `--summary`, `--report`, `--format dot`), built in a first pass; or that graph found by following
 * `chainOf()`'s sessions (a crawl, where the source cannot be read twice cheaply).
 */
export type IdentityNeed = 'none' | 'session' | 'chain';

export { isScanSource, type ConnectionPlan, type RegionChoice, type ScanSourcePlan, type SourcePlan } from './source-plan';

export interface OutputPlan {
  readonly format: OutputFormat;
  /** `--columns` of a table, or null for the default ones. */
  readonly columns: readonly string[] | null;
  /** `--summary`'s grouping and session counting, or null for events. */
  readonly summary: SummaryOptions | null;
  /**
   * The summary as plain data, when the scan may fold matches into it on its own threads: `--summary` is the
   * only stage after the scan (no --report, rule fan-out or --state reads the matches first). Null otherwise.
   */
  readonly scanSummary: SummarySpec | null;
  /**
   * With `scanSummary`: nothing but the summary's session counts reads the identity graph (no identity function
   * in the query or the grouping, no --enrich), so the scan's threads can fold without it.
   */
  readonly scanSummaryWithoutGraph: boolean;
  /** With rules and a summary by rule: an event of two rules counts under both. */
  readonly fanOutByRule: boolean;
  /** `--report FILE.html`, or null. */
  readonly report: string | null;
}

/** With --state or --follow: where runs are remembered, and what of the query the state belongs to. */
export interface StatePlan {
  /** The --state file; null with --follow alone (remembered in memory between rounds). */
  readonly file: string | null;
  /** What the query selects, hashed into the state file so that a state another query wrote is refused. */
  readonly query: FingerprintedQuery;
  /** `--overlap`: how far back from the last read each round reads again, for late deliveries. */
  readonly overlapMs: number;
  /** `--follow`: read again and again (only where a state remembers what was read); null: one round. */
  readonly follow: FollowPlan | null;
}

export interface FollowPlan {
  /** `--interval`: the pause between rounds. */
  readonly intervalMs: number;
}

/** The detection the CLI loaded and checked before planning: rules (from --rules/--sigma) and the threshold flags (planThreshold). */
export interface DetectionInput {
  readonly rules: readonly RuleSpec[];
  readonly threshold: CliThreshold | null;
}

export interface DetectionPlan extends DetectionInput {
  /** Some threshold counts the matches (--count-by, or a rule's): alert records are written. */
  readonly counts: boolean;
}

export interface RunPlan {
  readonly query: CompiledQuery;
  readonly window: TimeWindow;
  readonly identity: IdentityNeed;
  /**
   * With identity `session` over a local scan whose predicate reads no graph: what the graph describes after
   * the one pass that both builds it and filters (see identity-passes.ts). Null: two passes, or none.
   */
  readonly onePass: GraphDescription | null;
  /** `--enrich`: each matched event gets its session and chain (the identity need is then at least `session`). */
  readonly enrich: boolean;
  /** The round section: where events are read from, and what that read takes. */
  readonly source: SourcePlan;
  readonly detection: DetectionPlan;
  readonly output: OutputPlan;
  /** With --state or --follow, null otherwise. */
  readonly state: StatePlan | null;
  /**
   * Some stage after the read uses matched events, not only their NDJSON text (--state, a threshold, the
   * rules' fan-out, a report, --summary, a table or JSON array): a scan then hands over the events it parsed.
   */
  readonly readsEvents: boolean;
  /** `--strict`: bad input fails the run, and a local scan stops at the first. */
  readonly strict: boolean;
  /** `--stats`: a line of counters at the end, and every file a scan did not read named. */
  readonly stats: boolean;
}

const NO_DETECTION: DetectionInput = { rules: [], threshold: null };

export function planRun(options: RunOptions, nowMs: number, detectionInput: DetectionInput = NO_DETECTION): RunPlan | UsageProblem {
  const { rules } = detectionInput;
  if (options.actions.length === 0 && rules.length === 0) return new UsageProblem("missing required argument 'IAM_ACTION' (or give --rules/--sigma)");
  const window = makeWindow({ from: options.from, to: options.to, lastMinutes: options.lastMinutes }, nowMs);
  if (!window.ok) return new UsageProblem(window.message);
  // Compiled here against an empty graph only to check everything before any event is read.
  const placeholder = identityFunctions(graphOf([]));
  const spec = {
    actions: options.actions,
    matches: options.matches,
    labels: matchLabels(options),
    window: window.window,
    ...(rules.length > 0 ? { rules } : {}),
    ...(options.strict ? { parseEveryRecord: true } : {}),
  };
  const compiled = compileQuery(spec, placeholder);
  if (!compiled.ok) return new UsageProblem(compiled.message, compiled.terminalSafe === true);
  const badChain = checkChainArguments(compiled.query);
  if (badChain !== null) return new UsageProblem(badChain, true);

  const flagProblem = checkFlagCombinations(options);
  if (flagProblem !== null) return new UsageProblem(flagProblem);
  const regions = parseRegions(options.regions);
  if (regions instanceof UsageProblem) return regions;
  const athena = options.engine === 'athena' ? parseAthenaPlan(options, regions) : null;
  if (typeof athena === 'string') return new UsageProblem(athena);
  const source = planSource(options, regions, athena);

  const exprs = [...compiled.query.expressions, ...(compiled.query.rules?.rules.flatMap((rule) => rule.expressions) ?? [])];
  const needsGraph =
    options.enrich || options.summary || options.format === 'dot' || options.report !== undefined || usesFunction(exprs, 'session');
  const identity: IdentityNeed = usesFunction(exprs, 'chainOf') ? 'chain' : needsGraph ? 'session' : 'none';
  let summary: SummaryOptions | null = null;
  let summarySpec: SummarySpec | null = null;
  if (options.summary) {
    // With rules, the summary has a row per rule (an event of two rules counts in both).
    const made = summarySpecOf({ groupBy: options.groupBy ?? null, byRule: rules.length > 0 });
    if (!made.ok) return new UsageProblem(made.message, made.terminalSafe);
    summarySpec = made.spec;
    summary = summaryOptionsFrom(made.spec);
  }
  const fanOutByRule = rules.length > 0 && summary !== null && options.groupBy === undefined;
  const state = planState(options, spec, source);
  const detection: DetectionPlan = Object.freeze({ ...detectionInput, counts: ThresholdStage.needed({ cli: detectionInput.threshold, rules }) });
  const output: OutputPlan = Object.freeze({
    format: options.format,
    columns: options.columns ?? null,
    summary,
    // The summary is the only stage after the scan: the scan may fold matches into it (no stage reads them first).
    scanSummary: fanOutByRule || options.report !== undefined || state !== null || detection.counts ? null : summarySpec,
    scanSummaryWithoutGraph:
      summarySpec !== null && !options.enrich && identity === 'session' && !usesFunction(exprs, 'session') && !groupingReadsGraph(summarySpec),
    fanOutByRule,
    report: options.report ?? null,
  });
  // Only the NDJSON and JSON-array printers read nothing but the text; any other stage reads events.
  const readsEvents =
    state !== null ||
    detection.counts ||
    output.fanOutByRule ||
    output.report !== null ||
    output.summary !== null ||
    (output.format !== 'ndjson' && output.format !== 'json');
  const onePass =
    identity === 'session' && isScanSource(source)
      ? graphDescriptionOf({
          strict: options.strict,
          predicateReadsGraph: usesFunction(exprs, 'session') || usesFunction(exprs, 'chainOf'),
          summaryByReference: output.scanSummary !== null && output.scanSummaryWithoutGraph ? output.scanSummary : null,
          enrichedNdjsonOnly: options.enrich && !readsEvents && output.format === 'ndjson' && rules.length === 0 && state === null,
        })
      : null;
  return Object.freeze({
    query: compiled.query,
    window: window.window,
    identity,
    onePass,
    enrich: options.enrich,
    source,
    detection,
    output,
    state,
    readsEvents,
    strict: options.strict,
    stats: options.stats,
  });
}

function planState(options: RunOptions, spec: { readonly actions: readonly string[]; readonly matches: readonly string[] }, source: SourcePlan): StatePlan | null {
  if (options.state === undefined && !options.follow) return null;
  const local = source.kind === 'local' || source.kind === 's3';
  const regions = source.kind === 'lookup-events' ? source.regions : undefined;
  const query: FingerprintedQuery = {
    actions: spec.actions,
    matches: spec.matches,
    source: local ? 'local' : 'api',
    ...(local ? {} : { regions: regions === undefined ? [options.region ?? 'default'] : regions === 'all' ? ['all'] : [...regions] }),
  };
  const follow = options.follow ? Object.freeze({ intervalMs: (options.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * 1000 }) : null;
  return Object.freeze({
    file: options.state ?? null,
    query: Object.freeze(query),
    overlapMs: (options.overlapMinutes ?? DEFAULT_OVERLAP_MINUTES) * 60_000,
    follow,
  });
}

/** How an error in the expression at `index` names where it came from: `--match`, `--match #2`, or `--match-file F`. */
function matchLabels(options: RunOptions): string[] {
  const typed = options.matches.length - options.matchFiles.length;
  return options.matches.map((_, index) => {
    if (index >= typed) return `--match-file ${terminalSafe(options.matchFiles[index - typed] as string)}`;
    return options.matches.length > 1 ? `--match #${index + 1}` : '--match';
  });
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function checkFlagCombinations(options: RunOptions): string | null {
  const api = options.inputs.length === 0;
  const s3 = options.inputs.some(isS3Url);
  for (const input of options.inputs.filter(isS3Url)) {
    const parsed = parseS3Url(input);
    if (parsed instanceof Error) return parsed.message;
  }
  const athenaProblem = athenaFlagProblem(options);
  if (athenaProblem !== null) return athenaProblem;
  if (options.engine === 'local' && api) return '--engine local reads --input files: name one or more';
  if (options.engine === 'lookup-events' && !api) return '--engine lookup-events reads CloudTrail event history, not --input';
  // With --engine athena, --accounts filters partitions and is checked with the other Athena flags.
  if (options.accounts !== undefined && options.engine !== 'athena') {
    if (!s3) return '--accounts selects account folders of s3:// inputs (or partitions with --engine athena); no s3:// --input was given';
    const bad = options.accounts.find((a) => !ACCOUNT_ID.test(a));
    if (bad !== undefined || options.accounts.length === 0) return `--accounts: '${bad ?? ''}' is not a 12-digit AWS account ID`;
  }
  if (options.groupBy !== undefined && !options.summary) return '--group-by needs --summary';
  if (options.format === 'dot' && options.summary) return '--format dot draws the identity graph of the events; it cannot be combined with --summary';
  if (options.columns !== undefined) {
    if (options.format !== 'table') return '--columns chooses the columns of --format table';
    const known = options.summary
      ? options.groupBy === undefined
        ? SUMMARY_TABLE_COLUMNS.map((spec) => spec.key)
        : [...splitTopLevel(options.groupBy), ...SUMMARY_TABLE_COLUMNS.map((spec) => spec.key).filter((key) => key !== 'api')]
      : EVENT_TABLE_COLUMNS.map((spec) => spec.key);
    const unknown = options.columns.find((name) => !known.includes(name));
    if (unknown !== undefined) return `--columns: no column '${unknown}'; choose from ${known.join(', ')}`;
    if (options.columns.length === 0) return `--columns: name one or more of ${known.join(', ')}`;
  }
  if (options.follow && (options.summary || options.format !== 'ndjson')) {
    return '--follow writes events as they come: it cannot be combined with --summary or --format json/table/dot';
  }
  if (options.follow && options.inputs.includes('-')) return '--follow reads files or LookupEvents, not stdin (stdin is already a stream)';
  if (options.state !== undefined && options.inputs.includes('-')) return '--state cannot remember a position in stdin; name files or directories';
  if (options.explain && !api && !s3) return '--explain shows the LookupEvents plan or the S3 listings; it does not apply to local --input';
  if (!api) {
    // s3:// inputs take the AWS connection flags, and --regions as the region folders to read.
    const apiOnly = (s3 ? (['rate'] as const) : (['region', 'regions', 'profile', 'endpointUrl', 'rate'] as const)).filter((key) => options[key] !== undefined);
    if (apiOnly.length > 0) {
      const flag = apiOnly[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      return `--${flag} applies to LookupEvents, but --input was given`;
    }
  }
  if (options.report !== undefined) {
    // Found out now, not after a long scan: the page is written next to the file, then renamed onto it.
    const directory = dirname(resolve(options.report));
    try {
      accessSync(directory, constants.W_OK);
    } catch {
      return `--report ${options.report}: cannot write in ${directory}`;
    }
    if (existsSync(options.report) && statSync(options.report).isDirectory()) return `--report ${options.report}: is a directory`;
  }
  if (options.region !== undefined && !REGION.test(options.region)) return `--region: '${options.region}' is not a region name (e.g. eu-central-1)`;
  return null;
}

function parseRegions(text: string | undefined): RegionChoice | UsageProblem {
  if (text === undefined) return undefined;
  if (text.trim() === 'all') return 'all';
  const regions = text.split(',').map((r) => r.trim()).filter((r) => r.length > 0);
  const bad = regions.find((r) => !REGION.test(r));
  if (bad !== undefined || regions.length === 0) {
    return new UsageProblem(`--regions: '${bad ?? text}' is not a region name (e.g. us-east-1,eu-west-1, or 'all')`);
  }
  return regions;
}
