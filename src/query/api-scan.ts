/**
 * A read of CloudTrail's event history through LookupEvents: plan (push-down), fetch every lookup in
 * every region in parallel under the rate limiter, re-check each event against the whole query.
 * Identity queries hold what they fetch (a chainOf() crawl, or the window) to build the graph first.
 * The AWS SDK is loaded by the source, lazily, so local queries never pay for it.
 */
import { graphOf, type IdentityGraph } from '../identity';
import type { MatchRecord } from '../output/match-record';
import {
  createProgressReporter,
  fetchLookups,
  prepareApiSource,
  regionOfOrigin,
  type ApiConnection,
  type FetchReport,
  type ProgressReporter,
  type ProgressStream,
} from '../sources/cloudtrail-api';
import type { Origin, SourceItem } from '../sources/source-item';
import { crawlChains, type CrawledEvent } from './chain-crawl';
import type { Checkpoint } from './checkpoint';
import { explain } from './explain';
import { chainOfArguments } from './expression-calls';
import { writeHeldMatches } from './identity-filter';
import { defaultWindow, planLookups, type Lookup, type Plan } from './plan';
import { chooseRuleScans } from './rule-scans';
import type { CompiledQuery } from './query';
import type { RunStats } from './stats';

export interface ApiScanOptions {
  readonly query: CompiledQuery;
  readonly connection: ApiConnection;
  readonly regions: readonly string[] | 'all' | undefined;
  /** LookupEvents calls per second per account and region; CloudTrail's documented limit by default. */
  readonly rate?: number;
  readonly now: Date;
  /** Render the plan instead of fetching (no AWS call, no credentials needed). */
  readonly explainOnly: boolean;
  readonly identity: {
    readonly needsGraph: boolean;
    readonly usesChainOf: boolean;
    readonly enrich: boolean;
  };
  /** With --state/--follow: each lookup's window continues from the last; `followStartMs` starts new lookups. */
  readonly checkpoint: Checkpoint | null;
  readonly followStartMs: number | null;
  readonly stats: RunStats;
  readonly signal: AbortSignal;
  /** Per-region progress is drawn here when it is a terminal. */
  readonly progressStream: ProgressStream | null;
  /** Each match, holding the event it was filtered as, with the identity graph it was filtered against (null: a plain scan). */
  write(record: MatchRecord, graph: IdentityGraph | null): Promise<void> | void;
  onBad(origin: Origin, message: string): void;
  onWarning(message: string): void;
  onNote(message: string): void;
  onError(message: string): void;
}

export type ApiScanResult = { readonly failed: boolean; readonly explanation: string | null };

export async function scanApi(options: ApiScanOptions): Promise<ApiScanResult> {
  const { query, stats, connection } = options;
  const source = await prepareApiSource(
    { connection, ...(options.regions !== undefined ? { regions: options.regions } : {}) },
    { checkCredentials: !options.explainOnly },
  );
  if (!source.ok) {
    options.onError(source.message);
    return { failed: true, explanation: null };
  }
  const { fromMs, toMs } = query.spec.window;
  const history = defaultWindow(options.now);
  const window = { fromMs: fromMs ?? history.fromMs, toMs: toMs ?? options.now.getTime() };
  if (fromMs !== null && fromMs < history.fromMs) {
    options.onNote('CloudTrail event history keeps the last 90 days; older events are only in trail archives (use --input)');
  }
  const scans = query.rules === null ? undefined : chooseRuleScans(query.selection, query.expressions, query.rules.rules);
  let plan = planLookups({
    selection: query.selection,
    matches: query.expressions,
    regions: source.regions,
    window,
    partitionOf: source.partitionOf,
    ...(scans !== undefined ? { scans } : {}),
  });
  for (const warning of plan.warnings) options.onWarning(warning);
  if (options.checkpoint !== null) {
    plan = withCheckpointWindows(plan, options.checkpoint, options.now, options.followStartMs);
    if (plan.lookups.some((lookup) => lookup.fromMs < history.fromMs) && fromMs === null) {
      options.onWarning('the state file\'s last read ended more than 90 days ago: events between then and 90 days ago are no longer in CloudTrail event history (read them from trail archives with --input)');
    }
  }
  if (options.explainOnly) return { failed: false, explanation: explain(plan) };

  const progress = createProgressReporter(options.progressStream, plan.regions);
  const reports: Promise<FetchReport>[] = [];
  const fetch = (lookups: readonly Lookup[]) => {
    const fetched = fetchLookups({
      plan: { ...plan, lookups },
      connection,
      stats,
      signal: options.signal,
      progress,
      sdk: source.sdk,
      ...(options.rate !== undefined ? { rate: options.rate } : {}),
    });
    reports.push(fetched.report);
    return fetched;
  };
  const onBad = (item: Extract<SourceItem, { kind: 'bad' }>) => {
    stats.badRecords++;
    options.onBad(item.origin, item.message);
  };

  if (options.identity.usesChainOf) {
    const crawl = await crawlChains({
      targets: [...new Set(chainOfArguments(query.expressions).map((arg) => arg.value))],
      regions: plan.regions,
      window,
      signal: options.signal,
      onBad,
      fetch: (lookups) => {
        const { items, report } = fetch(lookups);
        return { items, done: report.then(() => undefined) };
      },
    });
    await filterWithGraph(options, crawl.events, crawl.graph, progress);
  } else if (options.identity.needsGraph) {
    // session(), --enrich or --summary: the graph needs every fetched event first, so they are held
    // in memory (the window and the push-down bound how many).
    const held: CrawledEvent[] = [];
    for await (const item of fetch(plan.lookups).items) {
      if (item.kind === 'bad') onBad(item);
      else held.push({ event: item.event, text: item.text });
    }
    await filterWithGraph(options, held, graphOf(held.map((crawled) => crawled.event)), progress);
  } else {
    await filterStream(options, fetch(plan.lookups).items, progress, onBad);
  }
  progress.close();
  return { failed: settle(options, await Promise.all(reports), plan), explanation: null };
}

/** Events as pages arrive: the first match is written before the last page is fetched. */
async function filterStream(
  options: ApiScanOptions,
  items: AsyncIterable<SourceItem>,
  progress: ProgressReporter,
  onBad: (item: Extract<SourceItem, { kind: 'bad' }>) => void,
): Promise<void> {
  const { stats, query } = options;
  for await (const item of items) {
    if (item.kind === 'bad') {
      onBad(item);
      continue;
    }
    stats.eventsScanned++;
    if (!query.test(item.event)) continue;
    stats.matched++;
    const region = regionOfOrigin(item.origin.source);
    if (region !== null) progress.matched(region);
    await options.write(query.recordOf(item.event, item.text), null);
  }
}

function filterWithGraph(options: ApiScanOptions, events: readonly CrawledEvent[], graph: IdentityGraph, progress: ProgressReporter): Promise<void> {
  return writeHeldMatches(events, graph, options, (event) => {
    if (typeof event.awsRegion === 'string') progress.matched(event.awsRegion);
  });
}

/** Each lookup reads from where the last run of the same lookup ended, minus the overlap. */
function withCheckpointWindows(plan: Plan, checkpoint: Checkpoint, now: Date, followStartMs: number | null): Plan {
  const lookups = plan.lookups.map((lookup) => {
    const window = checkpoint.window(lookupKey(lookup), now.getTime(), followStartMs ?? lookup.fromMs);
    return { ...lookup, fromMs: window.fromMs, toMs: window.toMs };
  });
  return { ...plan, lookups };
}

export function lookupKey(lookup: Lookup): string {
  return `${lookup.region}/${lookup.attribute === null ? '*' : `${lookup.attribute.key}=${lookup.attribute.value}`}`;
}

/** Reports what the fetches said; moves the windows of lookups that were read to their end. True if something failed. */
function settle(options: ApiScanOptions, reports: readonly FetchReport[], plan: Plan): boolean {
  let failed = false;
  const failedRegions = new Set<string>();
  for (const report of reports) {
    for (const note of report.skipped) options.onNote(`${note.region}: skipped (${note.message})`);
    for (const note of report.failed) {
      failedRegions.add(note.region);
      options.onError(`${note.region}: ${note.message}; its events may be incomplete`);
      failed = true;
    }
    if (report.fatal !== null) {
      options.onError(report.fatal);
      failed = true;
    }
  }
  const fatal = reports.some((r) => r.fatal !== null);
  const cancelled = reports.some((r) => r.cancelled) || options.signal.aborted;
  if (options.checkpoint !== null && !fatal && !cancelled) {
    for (const lookup of plan.lookups) if (!failedRegions.has(lookup.region)) options.checkpoint.windowDone(lookupKey(lookup), lookup.toMs);
  }
  return failed;
}
