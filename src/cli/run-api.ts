/**
 * One read of CloudTrail's event history through LookupEvents: plan (push-down), fetch every lookup
 * in every region in parallel under the rate limiter, re-check each event against the whole query.
 * The AWS SDK is loaded here, lazily, so local queries never pay for it.
 */
import { IdentityGraphBuilder, identityFunctions, type IdentityGraph } from '../identity';
import { crawlChains, type CrawledEvent } from '../query/chain-crawl';
import { callsIn } from '../query/expression-calls';
import { explain } from '../query/explain';
import { defaultWindow, planLookups, type Lookup, type Plan } from '../query/plan';
import { compileQuery } from '../query/query';
import {
  createProgressReporter,
  fetchLookups,
  prepareApiSource,
  regionOfOrigin,
  type ApiConnection,
  type FetchReport,
  type ProgressReporter,
} from '../sources/cloudtrail-api';
import type { SourceItem } from '../sources/source-item';
import type { RoundContext, RoundResult } from './round';
import { warnUnusedChains } from './run-local';

export async function readApiRound(ctx: RoundContext): Promise<RoundResult & { readonly explained?: boolean }> {
  const { options, prepared, diagnostics, stats } = ctx;
  const connection: ApiConnection = {
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
  };
  const source = await prepareApiSource({ connection, ...(prepared.regions !== undefined ? { regions: prepared.regions } : {}) }, { checkCredentials: !options.explain });
  if (!source.ok) {
    diagnostics.error(source.message);
    return { failed: true };
  }
  const { fromMs, toMs } = prepared.query.spec.window;
  const history = defaultWindow(ctx.now);
  const window = { start: fromMs === null ? history.start : new Date(fromMs), end: toMs === null ? ctx.now : new Date(toMs) };
  if (fromMs !== null && fromMs < history.start.getTime()) {
    diagnostics.note('CloudTrail event history keeps the last 90 days; older events are only in trail archives (use --input)');
  }
  let plan = planLookups({ selection: prepared.query.selection, matches: prepared.query.expressions, regions: source.regions, window });
  if (ctx.checkpoint !== null) plan = withCheckpointWindows(plan, ctx);

  if (options.explain) {
    diagnostics.raw(explain(plan) + '\n');
    return { failed: false, explained: true };
  }

  const progress = createProgressReporter(ctx.io.stderr as Parameters<typeof createProgressReporter>[0], plan.regions);
  const fetch = (lookups: readonly Lookup[]) =>
    fetchLookups({
      plan: { ...plan, lookups },
      connection,
      stats,
      signal: ctx.signal,
      progress,
      sdk: source.sdk,
      ...(options.rate !== undefined ? { rate: options.rate } : {}),
    });
  const reports: Promise<FetchReport>[] = [];
  const onBad = (item: Extract<SourceItem, { kind: 'bad' }>) => {
    stats.badRecords++;
    diagnostics.badRecord(item.origin, item.message);
  };

  if (prepared.identity.usesChainOf) {
    const targets = chainTargets(ctx);
    const crawl = await crawlChains({
      targets,
      regions: plan.regions,
      window,
      signal: ctx.signal,
      onBad,
      fetch: (lookups) => {
        const { items, report } = fetch(lookups);
        reports.push(report);
        return { items, done: report.then(() => undefined) };
      },
    });
    await filterWithGraph(ctx, crawl.events, crawl.graph, progress);
  } else if (prepared.identity.needsGraph) {
    // session(), --enrich or --summary over the API: the graph needs every fetched event first, so
    // they are held in memory (the window and the push-down bound how many).
    const { items, report } = fetch(plan.lookups);
    reports.push(report);
    const held: CrawledEvent[] = [];
    for await (const item of items) {
      if (item.kind === 'bad') onBad(item);
      else held.push({ event: item.event, text: item.text });
    }
    const builder = new IdentityGraphBuilder();
    for (const { event } of held) builder.add(event);
    await filterWithGraph(ctx, held, builder.finish(), progress);
  } else {
    const { items, report } = fetch(plan.lookups);
    reports.push(report);
    await filterStream(ctx, items, progress, onBad);
  }
  progress.close();
  return { failed: summarizeReports(ctx, await Promise.all(reports), plan) };
}

/** Events as pages arrive: the first match is written before the last page is fetched. */
async function filterStream(ctx: RoundContext, items: AsyncIterable<SourceItem>, progress: ProgressReporter, onBad: (item: Extract<SourceItem, { kind: 'bad' }>) => void) {
  const { stats, prepared } = ctx;
  for await (const item of items) {
    if (item.kind === 'bad') {
      onBad(item);
      continue;
    }
    stats.eventsScanned++;
    if (!prepared.query.test(item.event)) continue;
    stats.matched++;
    const region = regionOfOrigin(item.origin.source);
    if (region !== null) progress.matched(region);
    await ctx.write((item.text ?? JSON.stringify(item.event)) + '\n');
  }
}

async function filterWithGraph(ctx: RoundContext, events: readonly CrawledEvent[], graph: IdentityGraph, progress: ProgressReporter) {
  const { stats, prepared, options, diagnostics } = ctx;
  prepared.identity.sessionOf = (event) => graph.sessionOf(event);
  warnUnusedChains(prepared.query, graph, diagnostics);
  for (const warning of graph.warnings()) diagnostics.warn(warning);
  const compiled = compileQuery(prepared.query.spec, identityFunctions(graph));
  if (!compiled.ok) throw new Error(`query failed to compile after it was checked: ${compiled.message}`);
  for (const { event, text } of events) {
    if (ctx.signal.aborted) break;
    stats.eventsScanned++;
    if (!compiled.query.test(event)) continue;
    stats.matched++;
    const region = typeof event.awsRegion === 'string' ? event.awsRegion : null;
    if (region !== null) progress.matched(region);
    await ctx.write((options.enrich ? JSON.stringify({ ...event, _ctq: graph.enrichment(event) }) : (text ?? JSON.stringify(event))) + '\n');
  }
}

function chainTargets(ctx: RoundContext): string[] {
  const targets = new Set<string>();
  for (const expr of ctx.prepared.query.expressions) {
    for (const call of callsIn(expr)) {
      const arg = call.args[0];
      if (call.name === 'chainOf' && arg?.kind === 'literal' && typeof arg.value === 'string') targets.add(arg.value);
    }
  }
  return [...targets];
}

/** Each lookup reads from where the last run of the same lookup ended, minus the overlap. */
function withCheckpointWindows(plan: Plan, ctx: RoundContext): Plan {
  const checkpoint = ctx.checkpoint!;
  const lookups = plan.lookups.map((lookup) => {
    // --follow without a start shows what happens from now on (with the overlap, for late deliveries).
    const followStart = ctx.options.follow && ctx.prepared.query.spec.window.fromMs === null ? ctx.now.getTime() - ctx.options.overlapMinutes * 60_000 : null;
    const window = checkpoint.window(lookupKey(lookup), ctx.now.getTime(), followStart ?? lookup.start.getTime());
    return { ...lookup, start: new Date(window.startMs), end: new Date(window.endMs) };
  });
  return { ...plan, lookups };
}

export function lookupKey(lookup: Lookup): string {
  return `${lookup.region}/${lookup.attribute === null ? '*' : `${lookup.attribute.key}=${lookup.attribute.value}`}`;
}

function summarizeReports(ctx: RoundContext, reports: readonly FetchReport[], plan: Plan): boolean {
  const { diagnostics } = ctx;
  let failed = false;
  const failedRegions = new Set<string>();
  for (const report of reports) {
    for (const note of report.skipped) diagnostics.note(`${note.region}: skipped (${note.message})`);
    for (const note of report.failed) {
      failedRegions.add(note.region);
      diagnostics.error(`${note.region}: ${note.message}; its events may be incomplete`);
      failed = true;
    }
    if (report.fatal !== null) {
      diagnostics.error(report.fatal);
      failed = true;
    }
  }
  const fatal = reports.some((r) => r.fatal !== null);
  const cancelled = reports.some((r) => r.cancelled) || ctx.signal.aborted;
  if (ctx.checkpoint !== null && !fatal && !cancelled) {
    for (const lookup of plan.lookups) if (!failedRegions.has(lookup.region)) ctx.checkpoint.windowDone(lookupKey(lookup), lookup.end.getTime());
  }
  return failed;
}

