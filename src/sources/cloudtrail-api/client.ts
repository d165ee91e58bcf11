/**
 * The CloudTrail client: the AWS SDK loaded lazily, credentials from the SDK's default chain, and
 * our rate limiter on every HTTP attempt.
 *
 * Nothing here may be imported statically by a module the CLI loads for local inputs: the SDK is
 * reached only through `loadSdk()` (a dynamic import), and the SDK types below are type-only
 * imports, erased at build time.
 */
import type { CloudTrailClient, CloudTrailClientConfig } from '@aws-sdk/client-cloudtrail';
import { classifyApiError, isThrottle, NO_CREDENTIALS_MESSAGE } from './errors';
import type { RateLimiter } from './rate-limiter';
import { DEFAULT_THROTTLE_BUDGET_MS, ThrottleBudgetRetryStrategy } from './retry-budget';

export type Sdk = typeof import('@aws-sdk/client-cloudtrail');

let sdk: Promise<Sdk> | null = null;

/** The SDK module, imported on first use only. */
export function loadSdk(): Promise<Sdk> {
  // On Node 20 the SDK prints a multi-line NodeVersionSupportWarning on first use, about SDK
  // versions published after January 2027. ctq pins its SDK version and supports Node 20, so the
  // warning tells a ctq user nothing they can act on and would land in every run's stderr. The
  // SDK's own switch turns it off; a user who set the variable keeps their choice.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  sdk ??= import('@aws-sdk/client-cloudtrail');
  return sdk;
}

export interface ApiConnection {
  /** A profile of the shared config/credentials files; otherwise `AWS_PROFILE` or the default chain. */
  readonly profile?: string;
  /** The home region: `--region`, else `AWS_REGION`, the profile's region, `AWS_DEFAULT_REGION`. */
  readonly region?: string;
  /** A VPC endpoint or the emulator; a function gives one per region (tests use it to break one). */
  readonly endpointUrl?: string | ((region: string) => string | undefined);
  /** HTTP attempts per call for transient faults (5xx, dropped connections), retries included. */
  readonly maxAttempts?: number;
  /** How long one call keeps retrying throttling answers (retry-budget.ts); default ten minutes. */
  readonly throttleBudgetMs?: number;
  /** The first backoff after a throttle, default 1 s; tests make it small. */
  readonly throttlingBaseMs?: number;
  /** Explicit credentials (library users, tests); the SDK's default chain otherwise. */
  readonly credentials?: CloudTrailClientConfig['credentials'];
}

/**
 * Transient faults (5xx, reset connections, timeouts) get eight attempts, 50 ms backoff base, as the SDK's standard
 * strategy; throttles are retried for a time budget instead (retry-budget.ts).
 */
export const DEFAULT_MAX_ATTEMPTS = 8;

export interface AttemptObserver {
  /** Every HTTP attempt, retries included. */
  attempt(region: string): void;
  /** An attempt answered with a throttling error (the SDK retries it). */
  throttled(region: string): void;
}

export interface ClientOptions {
  readonly region: string;
  readonly connection: ApiConnection;
  readonly limiter?: RateLimiter;
  readonly observer?: AttemptObserver;
  readonly signal?: AbortSignal;
}

export function createCloudTrailClient(sdk: Sdk, options: ClientOptions): CloudTrailClient {
  const { region, connection } = options;
  const endpoint = typeof connection.endpointUrl === 'function' ? connection.endpointUrl(region) : connection.endpointUrl;
  const maxAttempts = connection.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const config: CloudTrailClientConfig = {
    region,
    maxAttempts,
    retryStrategy: new ThrottleBudgetRetryStrategy({
      maxAttempts,
      throttleBudgetMs: connection.throttleBudgetMs ?? DEFAULT_THROTTLE_BUDGET_MS,
      ...(connection.throttlingBaseMs !== undefined ? { throttlingBaseMs: connection.throttlingBaseMs } : {}),
    }),
    // A dropped connection or a server that stops answering is a transient fault, retried like a 5xx.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
  };
  if (connection.profile !== undefined) config.profile = connection.profile;
  if (endpoint !== undefined) config.endpoint = endpoint;
  if (connection.credentials !== undefined) config.credentials = connection.credentials;
  const client = new sdk.CloudTrailClient(config);
  const { limiter, observer, signal } = options;
  // In the `deserialize` step, inside the retry middleware (`finalizeRequest`): this runs once per
  // HTTP attempt, so SDK retries are paced and counted too. `high` priority puts it around the
  // deserializer, so a failed attempt arrives here as the parsed service error.
  client.middlewareStack.add(
    (next) => async (args) => {
      if (limiter !== undefined) await limiter.acquire(signal);
      observer?.attempt(region);
      try {
        return await next(args);
      } catch (error) {
        if (isThrottle(error)) observer?.throttled(region);
        throw error;
      }
    },
    { step: 'deserialize', priority: 'high', name: 'ctqLookupEventsPacing', override: true },
  );
  return client;
}

export type RegionResolution = { readonly ok: true; readonly region: string } | { readonly ok: false; readonly message: string };

/** The region to use when the user names none, as the SDK would pick it for this profile. */
export async function resolveHomeRegion(sdk: Sdk, connection: ApiConnection): Promise<RegionResolution> {
  if (connection.region !== undefined) return { ok: true, region: connection.region };
  const probe = new sdk.CloudTrailClient(connection.profile === undefined ? {} : { profile: connection.profile });
  try {
    const region = await probe.config.region();
    if (typeof region === 'string' && region !== '') return { ok: true, region };
  } catch {
    // "Region is missing": fall through to the AWS CLI's variable, then to the message below.
  } finally {
    probe.destroy();
  }
  // The AWS CLI reads AWS_DEFAULT_REGION; the JavaScript SDK does not. Users set it for the CLI.
  const fallback = process.env.AWS_DEFAULT_REGION;
  if (fallback !== undefined && fallback !== '') return { ok: true, region: fallback };
  return { ok: false, message: 'no AWS region: pass --region, set AWS_REGION, or set `region` in your AWS profile' };
}

export type CredentialsCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Resolves the credential chain once before any call, so "no credentials" and an expired SSO
 * session are one clear line rather than a failure per region. Expired static keys are only
 * found out by a call; the fetcher reports those.
 */
export async function checkCredentials(client: CloudTrailClient, profile?: string): Promise<CredentialsCheck> {
  try {
    const credentials = await client.config.credentials();
    if (!credentials?.accessKeyId) return { ok: false, message: NO_CREDENTIALS_MESSAGE };
    return { ok: true };
  } catch (error) {
    const problem = classifyApiError(error, profile);
    return { ok: false, message: problem.kind === 'credentials' ? problem.message : `could not load AWS credentials: ${problem.message}` };
  }
}
