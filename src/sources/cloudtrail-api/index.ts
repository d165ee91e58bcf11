/**
 * The live CloudTrail source. The CLI's wiring: `prepareApiSource` (SDK, home region, credentials,
 * regions; errors as one-line values) → `planLookups` (src/query/plan) → `explain` or
 * `fetchLookups` → re-check every item against the full query.
 *
 * Importing this module does not load the AWS SDK; `prepareApiSource` does.
 */
import { checkCredentials, createCloudTrailClient, loadSdk, resolveHomeRegion, type ApiConnection, type Sdk } from './client';
import { loadPartitions, partitionOf, selectRegions } from './regions';

export { fetchLookups, regionOfOrigin, type FetchOptions, type FetchReport, type LookupEventsSource, type RegionNote } from './fetch-all';
export { createProgressReporter, SILENT_PROGRESS, type ProgressReporter, type ProgressStream } from './progress';
export { LOOKUP_EVENTS_RATE } from './rate-limiter';
export type { ApiConnection } from './client';

export interface ApiSourceRequest {
  readonly connection: ApiConnection;
  /** Regions named by the user, `all` for every region of the home region's partition; default the home region. */
  readonly regions?: readonly string[] | 'all';
}

export type ApiPreparation =
  | {
      readonly ok: true;
      readonly sdk: Sdk;
      readonly home: string;
      readonly regions: readonly string[];
      /** A region's partition id (`aws`, `aws-cn`, `aws-us-gov` ...), from the SDK's endpoint data. */
      readonly partitionOf: (region: string) => string;
    }
  | { readonly ok: false; readonly message: string };

/** `checkCredentials: false` for `--explain`, which plans without calling AWS. */
export async function prepareApiSource(request: ApiSourceRequest, options: { readonly checkCredentials?: boolean } = {}): Promise<ApiPreparation> {
  const sdk = await loadSdk();
  // Regions named on the command line need no configured region: the first one serves as home.
  const named = Array.isArray(request.regions) && request.regions.length > 0 ? (request.regions as readonly string[])[0] : undefined;
  const home = await resolveHomeRegion(sdk, { ...request.connection, region: request.connection.region ?? named });
  if (!home.ok) return home;
  if (options.checkCredentials !== false) {
    const client = createCloudTrailClient(sdk, { region: home.region, connection: request.connection });
    try {
      const credentials = await checkCredentials(client, request.connection.profile);
      if (!credentials.ok) return credentials;
    } finally {
      client.destroy();
    }
  }
  const regions = await selectRegions(request.regions, home.region);
  const partitions = await loadPartitions();
  return { ok: true, sdk, home: home.region, regions, partitionOf: (region) => partitionOf(partitions, region)?.id ?? 'aws' };
}
