/**
 * Deterministic, realistic CloudTrail records for tests and benchmarks: a mix of services, identity
 * types, regions, accounts, errors and resources, shaped after the records in the CloudTrail user
 * guide (doc_source/cloudtrail-event-reference-record-contents.md). Same seed, same events.
 */
import type { JsonObject } from '../../src/language/json';

export interface SyntheticOptions {
  readonly count: number;
  readonly seed?: number;
  readonly regions?: readonly string[];
  readonly accounts?: readonly string[];
  readonly start?: Date;
  readonly end?: Date;
  /** Fraction of events that fail with AccessDenied (default 0.02). */
  readonly accessDeniedRate?: number;
}

interface ApiShape {
  readonly source: string;
  readonly name: string;
  readonly readOnly: boolean;
  readonly resource?: (rng: Rng, account: string, region: string) => { type: string; arn: string };
}

const APIS: readonly ApiShape[] = [
  { source: 's3.amazonaws.com', name: 'GetObject', readOnly: true, resource: (r) => ({ type: 'AWS::S3::Object', arn: `arn:aws:s3:::bucket-${r.int(20)}/key-${r.int(1000)}` }) },
  { source: 's3.amazonaws.com', name: 'PutObject', readOnly: false, resource: (r) => ({ type: 'AWS::S3::Object', arn: `arn:aws:s3:::bucket-${r.int(20)}/key-${r.int(1000)}` }) },
  { source: 's3.amazonaws.com', name: 'GetBucketAcl', readOnly: true, resource: (r) => ({ type: 'AWS::S3::Bucket', arn: `arn:aws:s3:::bucket-${r.int(20)}` }) },
  { source: 's3.amazonaws.com', name: 'PutBucketAcl', readOnly: false, resource: (r) => ({ type: 'AWS::S3::Bucket', arn: `arn:aws:s3:::bucket-${r.int(20)}` }) },
  { source: 's3.amazonaws.com', name: 'ListBuckets', readOnly: true },
  { source: 'dynamodb.amazonaws.com', name: 'GetItem', readOnly: true, resource: (r, a, g) => ({ type: 'AWS::DynamoDB::Table', arn: `arn:aws:dynamodb:${g}:${a}:table/t${r.int(10)}` }) },
  { source: 'dynamodb.amazonaws.com', name: 'DescribeTable', readOnly: true, resource: (r, a, g) => ({ type: 'AWS::DynamoDB::Table', arn: `arn:aws:dynamodb:${g}:${a}:table/t${r.int(10)}` }) },
  { source: 'dynamodb.amazonaws.com', name: 'PutItem', readOnly: false, resource: (r, a, g) => ({ type: 'AWS::DynamoDB::Table', arn: `arn:aws:dynamodb:${g}:${a}:table/t${r.int(10)}` }) },
  { source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true },
  { source: 'ec2.amazonaws.com', name: 'RunInstances', readOnly: false },
  { source: 'ec2.amazonaws.com', name: 'DescribeSecurityGroups', readOnly: true },
  { source: 'iam.amazonaws.com', name: 'ListRoles', readOnly: true },
  { source: 'iam.amazonaws.com', name: 'PutRolePolicy', readOnly: false, resource: (r, a) => ({ type: 'AWS::IAM::Role', arn: `arn:aws:iam::${a}:role/role-${r.int(10)}` }) },
  { source: 'iam.amazonaws.com', name: 'CreateAccessKey', readOnly: false },
  { source: 'sts.amazonaws.com', name: 'AssumeRole', readOnly: true, resource: (r, a) => ({ type: 'AWS::IAM::Role', arn: `arn:aws:iam::${a}:role/role-${r.int(10)}` }) },
  { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', readOnly: true },
  { source: 'kms.amazonaws.com', name: 'Decrypt', readOnly: true, resource: (r, a, g) => ({ type: 'AWS::KMS::Key', arn: `arn:aws:kms:${g}:${a}:key/${r.uuid()}` }) },
  { source: 'kms.amazonaws.com', name: 'GenerateDataKey', readOnly: true, resource: (r, a, g) => ({ type: 'AWS::KMS::Key', arn: `arn:aws:kms:${g}:${a}:key/${r.uuid()}` }) },
  { source: 'lambda.amazonaws.com', name: 'Invoke', readOnly: false },
  { source: 'monitoring.amazonaws.com', name: 'PutMetricData', readOnly: false },
  { source: 'logs.amazonaws.com', name: 'CreateLogStream', readOnly: false },
  { source: 'secretsmanager.amazonaws.com', name: 'GetSecretValue', readOnly: true },
  { source: 'cloudtrail.amazonaws.com', name: 'LookupEvents', readOnly: true },
  { source: 'cloudtrail.amazonaws.com', name: 'DeleteTrail', readOnly: false },
];

const USER_AGENTS = ['aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12', 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux', 'console.amazonaws.com', 'aws-sdk-js/3.500.0'];

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(16)];
    return s;
  }
  upper(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[this.int(32)];
    return s;
  }
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-8${this.hex(3)}-${this.hex(12)}`;
  }
}

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** `count` events, oldest first, evenly spread over [start, end). */
export function syntheticEvents(options: SyntheticOptions): JsonObject[] {
  const out: JsonObject[] = [];
  for (const event of syntheticEventStream(options)) out.push(event);
  return out;
}

export function* syntheticEventStream(options: SyntheticOptions): Generator<JsonObject> {
  const rng = new Rng(options.seed ?? 1);
  const regions = options.regions ?? ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];
  const accounts = options.accounts ?? ['111122223333'];
  const end = (options.end ?? new Date('2026-11-20T00:00:00Z')).getTime();
  const start = (options.start ?? new Date(end - 7 * 86_400_000)).getTime();
  const deniedRate = options.accessDeniedRate ?? 0.02;
  const step = (end - start) / Math.max(1, options.count);
  const principals = accounts.flatMap((account) => [
    { account, kind: 'user' as const, name: 'alice', key: `AKIA${rng.upper(16)}` },
    { account, kind: 'user' as const, name: 'bob', key: `AKIA${rng.upper(16)}` },
    { account, kind: 'role' as const, name: 'admin', key: `ASIA${rng.upper(16)}` },
    { account, kind: 'role' as const, name: 'deploy', key: `ASIA${rng.upper(16)}` },
    { account, kind: 'service' as const, name: 'lambda.amazonaws.com', key: '' },
  ]);
  for (let i = 0; i < options.count; i++) {
    const time = isoSeconds(start + i * step);
    const api = rng.pick(APIS);
    const region = rng.pick(regions);
    const who = rng.pick(principals);
    const account = who.account;
    const denied = rng.next() < deniedRate;
    const userIdentity: JsonObject =
      who.kind === 'user'
        ? { type: 'IAMUser', principalId: `AIDA${rng.upper(17)}`, arn: `arn:aws:iam::${account}:user/${who.name}`, accountId: account, accessKeyId: who.key, userName: who.name }
        : who.kind === 'role'
          ? {
              type: 'AssumedRole',
              principalId: `AROA${rng.upper(17)}:${who.name}-session`,
              arn: `arn:aws:sts::${account}:assumed-role/${who.name}/${who.name}-session`,
              accountId: account,
              accessKeyId: who.key,
              sessionContext: {
                sessionIssuer: { type: 'Role', principalId: `AROA${rng.upper(17)}`, arn: `arn:aws:iam::${account}:role/${who.name}`, accountId: account, userName: who.name },
                webIdFederationData: {},
                attributes: { creationDate: isoSeconds(start), mfaAuthenticated: 'false' },
              },
            }
          : { type: 'AWSService', invokedBy: who.name };
    const resource = api.resource?.(rng, account, region);
    const event: JsonObject = {
      eventVersion: '1.08',
      userIdentity,
      eventTime: time,
      eventSource: api.source,
      eventName: api.name,
      awsRegion: region,
      sourceIPAddress: who.kind === 'service' ? who.name : `198.51.100.${rng.int(255)}`,
      userAgent: who.kind === 'service' ? who.name : rng.pick(USER_AGENTS),
      requestParameters: resource ? { resourceArn: resource.arn } : null,
      responseElements: null,
      requestID: rng.uuid(),
      eventID: rng.uuid(),
      readOnly: api.readOnly,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: account,
      eventCategory: 'Management',
    };
    if (resource) event.resources = [{ accountId: account, type: resource.type, ARN: resource.arn }];
    if (denied) {
      event.errorCode = 'AccessDenied';
      event.errorMessage = `User: ${String(userIdentity.arn ?? who.name)} is not authorized to perform: ${api.source.split('.')[0]}:${api.name}${resource ? ` on resource: ${resource.arn}` : ''} because no identity-based policy allows the ${api.source.split('.')[0]}:${api.name} action`;
    }
    yield event;
  }
}
