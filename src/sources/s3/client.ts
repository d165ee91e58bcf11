/**
 * The S3 client: the AWS SDK loaded lazily (local queries never pay for it), credentials, profile
 * and endpoint as for LookupEvents (`../cloudtrail-api/client.ts`), and every HTTP attempt counted.
 *
 * Nothing here may be imported statically by a module the CLI loads for local inputs except through
 * types: the SDK is reached only through `loadS3Sdk()`.
 */
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { DEFAULT_MAX_ATTEMPTS } from '../cloudtrail-api/client';
import { classifyApiError } from '../cloudtrail-api/errors';
import type { S3Counters } from './counters';

export type S3Sdk = typeof import('@aws-sdk/client-s3');

let sdk: Promise<S3Sdk> | null = null;

export function loadS3Sdk(): Promise<S3Sdk> {
  // See loadSdk() in ../cloudtrail-api/client.ts: the SDK's Node-version notice says nothing a ctq user can act on.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  sdk ??= import('@aws-sdk/client-s3');
  return sdk;
}

export interface S3Connection {
  readonly profile?: string;
  /** `--region`: only where to ask for the bucket's region; each bucket is then read in its own region. */
  readonly region?: string;
  /** `--endpoint-url`, else `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL` (s3rver, MinIO, a VPC endpoint). */
  readonly endpointUrl?: string;
  readonly maxAttempts?: number;
  readonly credentials?: S3ClientConfig['credentials'];
  /** Milliseconds without a byte before an attempt is given up (and retried). */
  readonly requestTimeoutMs?: number;
}

/** The endpoint the AWS CLI would use for S3: the flag, then the service-specific variable, then the global one. */
export function s3EndpointFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const pick = [flag, env.AWS_ENDPOINT_URL_S3, env.AWS_ENDPOINT_URL].find((v) => v !== undefined && v !== '');
  return pick;
}

export function createS3Client(s3: S3Sdk, connection: S3Connection, region: string, counters: S3Counters): S3Client {
  const config: S3ClientConfig = {
    region,
    maxAttempts: connection.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'standard',
    // A GET that stalls is a transient fault: the timeout ends the attempt and the retry strategy tries again.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: connection.requestTimeoutMs ?? 60_000 },
  };
  if (connection.profile !== undefined) config.profile = connection.profile;
  if (connection.endpointUrl !== undefined) {
    config.endpoint = connection.endpointUrl;
    // Custom endpoints (s3rver, MinIO, an IP address) rarely resolve bucket.host names; VPC interface
    // endpoints accept the path style too (AmazonS3 user guide, privatelink-interface-endpoints.html).
    config.forcePathStyle = true;
  }
  if (connection.credentials !== undefined) config.credentials = connection.credentials;
  const client = new s3.S3Client(config);
  // In the deserialize step, inside the retry middleware: runs once per HTTP attempt.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'ListObjectsV2Command') counters.listCalls++;
      else if (context.commandName === 'GetObjectCommand') counters.getCalls++;
      return next(args);
    },
    { step: 'deserialize', priority: 'high', name: 'ctqS3Counting', override: true },
  );
  return client;
}

export type BucketRegion = { readonly ok: true; readonly region: string } | { readonly ok: false; readonly message: string };

/**
 * A bucket lives in one region and answers only there. HeadBucket, asked anywhere, says where in its
 * `x-amz-bucket-region` header, also on its 301 and 403 answers (AmazonS3 API reference,
 * API_HeadBucket.html); servers that do not send it are asked GetBucketLocation, whose empty answer
 * means us-east-1 and "EU" eu-west-1 (API_GetBucketLocation.html).
 */
export async function discoverBucketRegion(s3: S3Sdk, connection: S3Connection, bucket: string, counters: S3Counters): Promise<BucketRegion> {
  const probe = createS3Client(s3, connection, await askingRegion(s3, connection), counters);
  try {
    try {
      const head = await probe.send(new s3.HeadBucketCommand({ Bucket: bucket }));
      if (head.BucketRegion) return { ok: true, region: head.BucketRegion };
    } catch (error) {
      const fromHeader = headerOf(error, 'x-amz-bucket-region');
      if (fromHeader !== null) return { ok: true, region: fromHeader };
      return { ok: false, message: describeS3Error(error, connection.profile, `s3://${bucket}`) };
    }
    try {
      const location = await probe.send(new s3.GetBucketLocationCommand({ Bucket: bucket }));
      const constraint = String(location.LocationConstraint ?? '');
      return { ok: true, region: constraint === '' ? 'us-east-1' : constraint === 'EU' ? 'eu-west-1' : constraint };
    } catch (error) {
      return { ok: false, message: describeS3Error(error, connection.profile, `s3://${bucket}`) };
    }
  } finally {
    probe.destroy();
  }
}

/** Where to ask first where a bucket is: `--region`, else the SDK's configured region, else us-east-1. */
export async function askingRegion(s3: S3Sdk, connection: S3Connection): Promise<string> {
  return connection.region ?? (await sdkDefaultRegion(s3, connection)) ?? 'us-east-1';
}

async function sdkDefaultRegion(s3: S3Sdk, connection: S3Connection): Promise<string | null> {
  // The SDK takes AWS_REGION before any profile's region (@smithy/node-config-provider: environment,
  // then shared config files), so a client built only to ask it would answer that: skip building it.
  const fromEnvironment = process.env.AWS_REGION;
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  const probe = new s3.S3Client(connection.profile === undefined ? {} : { profile: connection.profile });
  try {
    const region = await probe.config.region();
    return typeof region === 'string' && region !== '' ? region : null;
  } catch {
    // No region configured: any region can answer where the bucket is.
    return process.env.AWS_DEFAULT_REGION || null;
  } finally {
    probe.destroy();
  }
}

/** One line for a failed S3 call: credentials problems as for LookupEvents, S3's own codes in words. */
export function describeS3Error(error: unknown, profile: string | undefined, where: string): string {
  const name = (error as { name?: unknown } | null)?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  if (name === 'NoSuchBucket' || (name === 'NotFound' && status === 404)) return `${where}: no such bucket`;
  if (name === 'AccessDenied' || (name === 'Forbidden' && status === 403)) return `${where}: access denied (check the credentials' s3:ListBucket and s3:GetObject permissions)`;
  if (name === 'NoSuchKey') return `${where}: no such key (deleted after it was listed?)`;
  const problem = classifyApiError(error, profile);
  return problem.kind === 'credentials' ? problem.message : `${where}: ${problem.message}`;
}

function headerOf(error: unknown, name: string): string | null {
  const headers = (error as { $response?: { headers?: Record<string, string | undefined> } } | null)?.$response?.headers;
  const value = headers?.[name];
  return typeof value === 'string' && value !== '' ? value : null;
}
