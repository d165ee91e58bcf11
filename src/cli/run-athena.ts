/** One read through Amazon Athena, wired from the command line (the work is in src/query/athena-scan.ts). */
import { Matches } from '../output/match-record';
import { scanAthena, type AthenaServices, type AthenaStats } from '../query/athena-scan';
import { loadAthenaSdks, runQuery, s3ObjectReader } from '../sources/athena';
import { DEFAULT_MAX_ATTEMPTS } from '../sources/cloudtrail-api/client';
import { s3EndpointFrom } from '../sources/s3';
import type { AthenaPlan } from '../query/athena-flags';
import type { RoundContext, RoundResult } from './round';

export async function readAthenaRound(ctx: RoundContext & { readonly athenaStats: AthenaStats }): Promise<RoundResult & { readonly explained?: boolean }> {
  const { options, diagnostics, stats } = ctx;
  if (ctx.plan.source.kind !== 'athena') throw new Error('an Athena round was started for a plan that reads elsewhere');
  const plan = ctx.plan.source.athena;
  const result = await scanAthena({
    query: ctx.plan.query,
    table: plan.table,
    accounts: plan.accounts,
    regions: plan.regions,
    deliveryMarginHours: plan.deliveryMarginHours,
    explainOnly: options.explain,
    now: ctx.now,
    identity: {
      usesChainOf: ctx.plan.identity === 'chain',
      needsGraph: ctx.plan.identity !== 'none',
      enrich: options.enrich,
    },
    connect: () => connect(ctx, plan),
    stats,
    athenaStats: ctx.athenaStats,
    signal: ctx.signal,
    write: (record, graph) => ctx.write(Matches.of([record], graph)),
    onBad: (origin, message) => diagnostics.badRecord(origin, message),
    onWarning: (message) => diagnostics.warn(message),
    onError: (message) => diagnostics.error(message),
  });
  if (result.explanation !== null) diagnostics.raw(result.explanation);
  return { failed: result.failed, explained: result.explanation !== null };
}

/** The SDK clients, made only when a query is to run: region and credentials follow the AWS conventions. */
async function connect(ctx: RoundContext, plan: AthenaPlan): Promise<AthenaServices> {
  const { options, stats } = ctx;
  const sdks = await loadAthenaSdks();
  const common = {
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    retryMode: 'standard' as const,
  };
  const athena = new sdks.athena.AthenaClient({ ...common, ...(options.endpointUrl !== undefined ? { endpoint: options.endpointUrl } : {}) });
  // --endpoint-url is Athena's here; S3's comes from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, as for the AWS CLI.
  const s3Endpoint = s3EndpointFrom(undefined, ctx.io.env);
  const s3Connection = {
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(s3Endpoint !== undefined ? { endpointUrl: s3Endpoint } : {}),
  };
  return {
    runStatement: (sql) =>
      runQuery({
        sdk: sdks.athena,
        client: athena,
        sql,
        placement: plan.placement,
        maxScanBytes: plan.maxScanBytes,
        signal: ctx.signal,
        onCall: () => stats.apiCalls++,
        onThrottle: () => stats.throttled++,
      }),
    objects: s3ObjectReader(sdks.s3, s3Connection, ctx.s3Counters),
  };
}
