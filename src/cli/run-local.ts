/** One read of `--input` sources (local paths and s3:// prefixes): the parallel scan, or the two-pass identity scan. */
import { Matches } from '../output/match-record';
import { checkedOf } from '../query/checked-query';
import { unusedChainWarnings } from '../query/identity-filter';
import { isScanSource } from '../query/plan-run';
import { scanLocalWithIdentity } from '../scan/identity-scan';
import { scanLocal } from '../scan/local-scan';
import { SKIP_REASONS, type Discovery } from '../sources/local/discover';
import type { Loss, Origin } from '../sources/source-item';
import type { RoundContext, RoundResult } from './round';
import { explainS3Inputs, s3Options, scanInputs } from './s3-inputs';
import { startScanProgress } from './scan-progress';

export async function readLocalRound(ctx: RoundContext): Promise<RoundResult & { readonly explained?: boolean }> {
  const { plan, diagnostics, stats } = ctx;
  const source = plan.source;
  if (!isScanSource(source)) throw new Error('a scan of --input was started for a plan that reads elsewhere');
  let failed = false;
  const skipped: Extract<Discovery, { kind: 'skipped' }>[] = [];
  const s3 =
    source.kind === 's3'
      ? s3Options(ctx, source, () => {
          failed = true;
        })
      : null;
  if (source.kind === 's3' && source.explain && s3 !== null) return { ...(await explainS3Inputs(ctx, source.inputs, s3)), explained: true };
  const failedBefore = ctx.s3Counters.failedObjects;
  const workers = source.workers ?? undefined;
  const common = {
    inputs: s3 === null ? [...source.inputs] : scanInputs(source.inputs, s3),
    // Thresholds count one key's events across regions, accounts and inputs: files are read in the order they were delivered.
    order: plan.detection.counts ? ('delivery' as const) : ('path' as const),
    stdin: ctx.io.stdin,
    stats,
    signal: ctx.signal,
    ...(ctx.checkpoint ? { planner: ctx.checkpoint } : {}),
    onBad: (origin: Origin, message: string, loss: Loss) => {
      diagnostics.badRecord(origin, message, loss);
      if (plan.strict) {
        failed = true;
        ctx.abort();
      }
    },
    onWarning: (message: string) => diagnostics.warn(message),
    onDiscovery: (discovery: Discovery) => {
      if (discovery.kind === 'missing') {
        // A named input that is not there is a failed run, not a bad record: a cron job must notice.
        diagnostics.error(`${discovery.path}: ${discovery.message}`);
        failed = true;
        if (plan.strict) ctx.abort();
      } else if (discovery.kind === 'skipped' && discovery.reason !== 'digest') {
        skipped.push(discovery);
      }
    },
  };
  // One pass builds the graph while it filters: nothing to wait for before the matches.
  let buildingGraph = plan.identity !== 'none' && plan.onePass === null;
  const scan = () =>
    plan.identity !== 'none'
      ? scanLocalWithIdentity({
          ...common,
          query: checkedOf(plan.query),
          enrich: plan.enrich,
          onePass: plan.onePass,
          workerUrl: ctx.io.workerUrl,
          workers,
          onWarning: (message) => diagnostics.warn(message),
          keepEvents: plan.readsEvents,
          ...(plan.output.scanSummary !== null ? { summary: plan.output.scanSummary, summaryWithoutGraph: plan.output.scanSummaryWithoutGraph } : {}),
          write: (matches, graph) =>
            ctx.write(matches.summary !== null ? Matches.folded(matches.summary, graph) : Matches.ofScan(matches.bytes ?? matches.text, matches.records, graph)),
          onGraph: (graph) => {
            buildingGraph = false;
            for (const warning of unusedChainWarnings(plan.query, graph)) diagnostics.warn(warning);
          },
        })
      : scanLocal({
          ...common,
          filter: { query: plan.query },
          workerUrl: ctx.io.workerUrl,
          workers,
          keepEvents: plan.readsEvents,
          write: (matches) => ctx.write(Matches.ofScan(matches.text, matches.records, null)),
        });
  const progress = startScanProgress(
    ctx.io.stderr as { isTTY?: boolean; write(text: string): unknown },
    stats,
    () => (buildingGraph ? 'building the identity graph (first pass)' : null),
    source.kind === 's3' ? ctx.s3Counters : null,
  );
  diagnostics.setProgressEraser(() => progress.erase());
  try {
    await scan();
  } finally {
    progress.stop();
    diagnostics.setProgressEraser(null);
  }
  // S3 objects read in full are remembered only when the whole read ran; an interrupted one is read again.
  if (ctx.signal.aborted) ctx.checkpoint?.s3.discardPending();
  else ctx.checkpoint?.s3.settle();
  const failedObjects = ctx.s3Counters.failedObjects - failedBefore;
  if (failedObjects > 0) diagnostics.error(`${failedObjects} S3 object${failedObjects === 1 ? '' : 's'} could not be read (each named above)`);
  noteNotRead(diagnostics, skipped, plan.stats);
  return { failed };
}

/** Names of files a note lists before it says how many more there are. */
const NAMED_NOT_READ = 3;

/**
 * Says which files in walked directories were not read, and why: per reason, every one when few (or
 * with `--stats`), else the first few, how many more, and that `--stats` lists them all.
 */
function noteNotRead(diagnostics: RoundContext['diagnostics'], skipped: readonly Extract<Discovery, { kind: 'skipped' }>[], listAll: boolean): void {
  for (const reason of new Set(skipped.map((s) => s.reason))) {
    const paths = skipped.filter((s) => s.reason === reason).map((s) => s.path);
    const why = SKIP_REASONS[reason];
    if (listAll || paths.length <= NAMED_NOT_READ) {
      if (paths.length === 1) diagnostics.note(`not read: ${paths[0]!} (${why})`);
      else {
        diagnostics.note(`not read, ${paths.length} files (${why}):`);
        for (const path of paths) diagnostics.note(`  not read: ${path}`);
      }
      continue;
    }
    const named = paths.slice(0, NAMED_NOT_READ).join(', ');
    diagnostics.note(`not read: ${named} and ${paths.length - NAMED_NOT_READ} more (${why}; --stats lists them all)`);
  }
}
