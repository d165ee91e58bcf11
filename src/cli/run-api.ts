/** One read of LookupEvents, wired from the plan (the work is in src/query/api-scan.ts). */
import { Matches } from '../output/match-record';
import { scanApi } from '../query/api-scan';
import type { ProgressStream } from '../sources/cloudtrail-api';
import type { RoundContext, RoundResult } from './round';

export async function readApiRound(ctx: RoundContext): Promise<RoundResult & { readonly explained?: boolean }> {
  const { plan, diagnostics } = ctx;
  const source = plan.source;
  if (source.kind !== 'lookup-events') throw new Error('a LookupEvents round was started for a plan that reads elsewhere');
  // --follow without a start shows what happens from now on (with the overlap, for late deliveries).
  const followStartMs =
    plan.state?.follow != null && plan.window.fromMs === null ? ctx.now.getTime() - plan.state.overlapMs : null;
  const result = await scanApi({
    query: plan.query,
    connection: source.connection,
    regions: source.regions,
    ...(source.rate !== null ? { rate: source.rate } : {}),
    now: ctx.now,
    explainOnly: source.explain,
    identity: {
      needsGraph: plan.identity !== 'none',
      usesChainOf: plan.identity === 'chain',
      enrich: plan.enrich,
    },
    checkpoint: ctx.checkpoint,
    followStartMs,
    stats: ctx.stats,
    signal: ctx.signal,
    progressStream: ctx.io.stderr as ProgressStream,
    write: (record, graph) => ctx.write(Matches.of([record], graph)),
    onBad: (origin, message) => diagnostics.badRecord(origin, message),
    onWarning: (message) => diagnostics.warn(message),
    onNote: (message) => diagnostics.note(message),
    onError: (message) => diagnostics.error(message),
  });
  if (result.explanation !== null) diagnostics.raw(result.explanation + '\n');
  return { failed: result.failed, explained: result.explanation !== null };
}
