/** One read of `--input` sources (local paths and s3:// prefixes): the parallel scan, or the two-pass identity scan. */
import { unusedChainWarnings } from '../query/identity-filter';
import { scanLocalWithIdentity } from '../query/identity-scan';
import { scanLocal } from '../query/local-scan';
import type { Discovery } from '../sources/local/discover';
import type { Origin } from '../sources/source-item';
import type { RoundContext, RoundResult } from './round';
import { explainS3Inputs, s3Options, scanInputs } from './s3-inputs';
import { startScanProgress } from './scan-progress';

export async function readLocalRound(ctx: RoundContext): Promise<RoundResult & { readonly explained?: boolean }> {
  const { options, prepared, diagnostics, stats } = ctx;
  let failed = false;
  const skipped: string[] = [];
  const s3 = s3Options(ctx, ctx.s3Counters, () => {
    failed = true;
  });
  if (options.explain) return { ...(await explainS3Inputs(ctx, s3)), explained: true };
  const failedBefore = ctx.s3Counters.failedObjects;
  const common = {
    inputs: scanInputs(options.inputs, s3),
    stdin: ctx.io.stdin,
    stats,
    signal: ctx.signal,
    write: (text: string) => ctx.write(text),
    ...(ctx.checkpoint ? { planner: ctx.checkpoint } : {}),
    onBad: (origin: Origin, message: string) => {
      diagnostics.badRecord(origin, message);
      if (options.strict) {
        failed = true;
        ctx.abort();
      }
    },
    onDiscovery: (discovery: Discovery) => {
      if (discovery.kind === 'missing') {
        // A named input that is not there is a failed run, not a bad record: a cron job must notice.
        diagnostics.error(`${discovery.path}: ${discovery.message}`);
        failed = true;
        if (options.strict) ctx.abort();
      } else if (discovery.kind === 'skipped' && discovery.reason !== 'CloudTrail digest file') {
        skipped.push(discovery.path);
      }
    },
  };
  let buildingGraph = prepared.identity.needsGraph;
  const scan = () =>
    prepared.identity.needsGraph
      ? scanLocalWithIdentity({
          ...common,
          spec: prepared.query.spec,
          enrich: options.enrich,
          onWarning: (message) => diagnostics.warn(message),
          onGraph: (graph) => {
            buildingGraph = false;
            prepared.identity.sessionOf = (event) => graph.sessionOf(event);
            for (const warning of unusedChainWarnings(prepared.query, graph)) diagnostics.warn(warning);
          },
        })
      : scanLocal({ ...common, query: prepared.query, workerUrl: ctx.io.workerUrl, workers: options.workers });
  const progress = startScanProgress(
    ctx.io.stderr as { isTTY?: boolean; write(text: string): unknown },
    stats,
    () => (buildingGraph ? 'building the identity graph (first pass)' : null),
    ctx.usesS3 ? ctx.s3Counters : null,
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
  if (failedObjects > 0) {
    diagnostics.error(`${failedObjects} S3 object${failedObjects === 1 ? '' : 's'} could not be read (listed above); every other object was read`);
  }
  if (skipped.length > 0) {
    const first = skipped[0]!;
    const more = skipped.length > 1 ? ` and ${skipped.length - 1} more` : '';
    diagnostics.note(`not read: ${first}${more} (in a directory, only .json, .jsonl, .ndjson, .log and .gz files are read; name a file to read it)`);
  }
  return { failed };
}
