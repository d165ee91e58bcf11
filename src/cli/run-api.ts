/** One read of LookupEvents, wired from the command line (the work is in src/query/api-scan.ts). */
import { Matches } from '../output/match-record';
import { scanApi } from '../query/api-scan';
import type { ProgressStream } from '../sources/cloudtrail-api';
import type { RoundContext, RoundResult } from './round';

export async function readApiRound(ctx: RoundContext): Promise<RoundResult & { readonly explained?: boolean }> {
  const { options, plan, diagnostics } = ctx;
  if (plan.source.kind !== 'lookup-events') throw new Error('a LookupEvents round was started for a plan that reads elsewhere');
  // --follow without a start shows what happens from now on (with the overlap, for late deliveries).
  const followStartMs =
    options.follow && plan.window.fromMs === null ? ctx.now.getTime() - options.overlapMinutes * 60_000 : null;
  const result = await scanApi({
    query: plan.query,
    connection: {
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(options.region !== undefined ? { region: options.region } : {}),
      ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
    },
    regions: plan.source.regions,
    ...(options.rate !== undefined ? { rate: options.rate } : {}),
    now: ctx.now,
    explainOnly: options.explain,
    identity: {
      needsGraph: plan.identity !== 'none',
      usesChainOf: plan.identity === 'chain',
      enrich: options.enrich,
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
