/** One read through Amazon Athena, wired from the plan (the work is in src/query/athena-scan.ts). */
import { Matches } from '../output/match-record';
import { scanAthena, type AthenaServices, type AthenaStats } from '../query/athena-scan';
import { loadAthenaSdks, runQuery, s3ObjectReader } from '../sources/athena';
import { DEFAULT_MAX_ATTEMPTS } from '../sources/cloudtrail-api/client';
import { s3EndpointFrom } from '../sources/s3';
import type { AthenaSourcePlan } from '../query/source-plan';
import type { RoundContext, RoundResult } from './round';

export async function readAthenaRound(ctx: RoundContext & { readonly athenaStats: AthenaStats }): Promise<RoundResult & { readonly explained?: boolean }> {
  const { diagnostics, stats } = ctx;
  const source = ctx.plan.source;
  if (source.kind !== 'athena') throw new Error('an Athena round was started for a plan that reads elsewhere');
  const plan = source.athena;
  const result = await scanAthena({
    query: ctx.plan.query,
    table: plan.table,
    accounts: plan.accounts,
    regions: plan.regions,
    deliveryMarginHours: plan.deliveryMarginHours,
    explainOnly: source.explain,
    now: ctx.now,
    identity: {
      usesChainOf: ctx.plan.identity === 'chain',
      needsGraph: ctx.plan.identity !== 'none',
      enrich: ctx.plan.enrich,
    },
    connect: () => connect(ctx, source),
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
async function connect(ctx: RoundContext, source: AthenaSourcePlan): Promise<AthenaServices> {
  const { stats } = ctx;
  const { connection, athena: plan } = source;
  const sdks = await loadAthenaSdks();
  const common = {
    ...(connection.region !== undefined ? { region: connection.region } : {}),
    ...(connection.profile !== undefined ? { profile: connection.profile } : {}),
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    retryMode: 'standard' as const,
  };
  const athena = new sdks.athena.AthenaClient({ ...common, ...(connection.endpointUrl !== undefined ? { endpoint: connection.endpointUrl } : {}) });
  // --endpoint-url is Athena's here; S3's comes from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, as for the AWS CLI.
  const s3Endpoint = s3EndpointFrom(undefined, ctx.io.env);
  const s3Connection = {
    ...(connection.region !== undefined ? { region: connection.region } : {}),
    ...(connection.profile !== undefined ? { profile: connection.profile } : {}),
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
