/**
 * Rules benchmark: 50 rules at once (`ctq --rules`) against the same 50 as separate ctq runs and as one
 * jq program with 50 selects, side by side over the same generated NDJSON. Targets: ≥ 10× the 50 runs,
 * ≥ 5× jq. The rules are shaped like detections, which rarely fire: access denied per API, known-bad
 * addresses per API, and a few broader ones (a user agent, an address range, destructive calls).
 *   npm run bench                                   (every benchmark; this one on 20 MB)
 *   node scripts/run-ts.mjs bench/rules.ts --mb 150 --runs 3        (the full size)
 * Prints the ratios (peer time ÷ ctq time) and checks that ctq and jq find the same events.
 */
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { syntheticEventStream } from '../test/support/synthetic-events';
import { pair, shellQuote } from './timing';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const targetMb = option('--mb', 20);
const runs = option('--runs', 1);
const dataDir = join('bench', 'data');
const input = join(dataDir, `rules-events-${targetMb}mb.ndjson`);
const ctq = shellQuote(join(process.cwd(), 'bin', 'ctq'));

interface BenchRule {
  readonly id: string;
  readonly title: string;
  readonly action: string;
  readonly match: string;
  /** The same test as a jq condition. */
  readonly jq: string;
}

/** The APIs of the synthetic data, as IAM action and eventSource. */
const APIS: readonly (readonly [string, string, string])[] = [
  ['s3', 's3.amazonaws.com', 'GetObject'], ['s3', 's3.amazonaws.com', 'PutObject'], ['s3', 's3.amazonaws.com', 'GetBucketAcl'],
  ['s3', 's3.amazonaws.com', 'PutBucketAcl'], ['s3', 's3.amazonaws.com', 'ListBuckets'], ['dynamodb', 'dynamodb.amazonaws.com', 'GetItem'],
  ['dynamodb', 'dynamodb.amazonaws.com', 'DescribeTable'], ['dynamodb', 'dynamodb.amazonaws.com', 'PutItem'], ['ec2', 'ec2.amazonaws.com', 'DescribeInstances'],
  ['ec2', 'ec2.amazonaws.com', 'RunInstances'], ['ec2', 'ec2.amazonaws.com', 'DescribeSecurityGroups'], ['iam', 'iam.amazonaws.com', 'ListRoles'],
  ['iam', 'iam.amazonaws.com', 'PutRolePolicy'], ['iam', 'iam.amazonaws.com', 'CreateAccessKey'], ['sts', 'sts.amazonaws.com', 'AssumeRole'],
  ['sts', 'sts.amazonaws.com', 'GetCallerIdentity'], ['kms', 'kms.amazonaws.com', 'Decrypt'], ['kms', 'kms.amazonaws.com', 'GenerateDataKey'],
  ['lambda', 'lambda.amazonaws.com', 'Invoke'], ['secretsmanager', 'secretsmanager.amazonaws.com', 'GetSecretValue'],
  ['cloudtrail', 'cloudtrail.amazonaws.com', 'LookupEvents'], ['cloudtrail', 'cloudtrail.amazonaws.com', 'DeleteTrail'],
];

function benchRules(): BenchRule[] {
  const rules: BenchRule[] = [];
  for (const [index, [prefix, source, name]] of APIS.entries()) {
    const api = `.eventSource == "${source}" and .eventName == "${name}"`;
    rules.push({ id: `${prefix}-${name}-denied`, title: `${name} denied`, action: `${prefix}:${name}`, match: '$.errorCode == "AccessDenied"', jq: `${api} and .errorCode == "AccessDenied"` });
    // An indicator of compromise: a known-bad address calling this API.
    const ip = `198.51.100.${200 + index}`;
    rules.push({ id: `${prefix}-${name}-from-ioc`, title: `${name} from ${ip}`, action: `${prefix}:${name}`, match: `$.sourceIPAddress == "${ip}"`, jq: `${api} and .sourceIPAddress == "${ip}"` });
  }
  const str = (path: string, test: string) => `(${path} | type == "string" and ${test})`;
  rules.push(
    { id: 'iam-keys-boto3', title: 'Access keys created from Boto3', action: 'iam:CreateAccessKey', match: '$.userAgent contains "Boto3"', jq: `.eventSource == "iam.amazonaws.com" and .eventName == "CreateAccessKey" and ${str('.userAgent', 'contains("Boto3")')}` },
    { id: 'ip-range', title: 'From 198.51.100.25x', action: '*:*', match: '$.sourceIPAddress startswith "198.51.100.25"', jq: str('.sourceIPAddress', 'startswith("198.51.100.25")') },
    { id: 'logging-off', title: 'Logging turned off', action: '*:*', match: '$.eventName in ["DeleteTrail", "StopLogging", "DeleteFlowLogs"]', jq: '(.eventName == "DeleteTrail" or .eventName == "StopLogging" or .eventName == "DeleteFlowLogs")' },
    { id: 'whoami-temporary', title: 'GetCallerIdentity with temporary keys', action: 'sts:GetCallerIdentity', match: '$.userIdentity.accessKeyId startswith "ASIA"', jq: `.eventSource == "sts.amazonaws.com" and .eventName == "GetCallerIdentity" and ${str('.userIdentity.accessKeyId', 'startswith("ASIA")')}` },
    { id: 'kms-writes-eu', title: 'KMS writes in eu-west-1', action: 'kms:*', match: '$.readOnly == false and $.awsRegion == "eu-west-1"', jq: '.eventSource == "kms.amazonaws.com" and .readOnly == false and .awsRegion == "eu-west-1"' },
    { id: 'secrets-errors', title: 'Secrets Manager errors', action: 'secretsmanager:*', match: '$.errorCode != null', jq: '.eventSource == "secretsmanager.amazonaws.com" and .errorCode != null' },
  );
  return rules;
}

async function generate(): Promise<void> {
  if (existsSync(input)) return;
  mkdirSync(dataDir, { recursive: true });
  process.stderr.write(`generating ~${targetMb} MB of events in ${input} (once)…\n`);
  const out = createWriteStream(input);
  let bytes = 0;
  for (const event of syntheticEventStream({ count: Number.MAX_SAFE_INTEGER, seed: 9, start: new Date('2026-10-01T00:00:00Z'), end: new Date('2026-11-01T00:00:00Z'), accessDeniedRate: 0.02 })) {
    const line = JSON.stringify(event) + '\n';
    bytes += line.length;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    if (bytes >= targetMb * 1e6) break;
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

await generate();
const rules = benchRules();
if (rules.length !== 50) throw new Error(`expected 50 rules, built ${rules.length}`);
const rulesFile = join(dataDir, 'bench-rules.yml');
writeFileSync(rulesFile, stringify({ rules: rules.map(({ id, title, action, match }) => ({ id, title, actions: action, match })) }));

const once = `${ctq} --rules ${rulesFile} --input ${input}`;
const separately = `{ ${rules.map((r) => `${ctq} ${shellQuote(r.action)} --input ${input} --match ${shellQuote(r.match)}`).join('; ')}; }`;
const tags = rules.map((r) => `(if ${r.jq} then [${JSON.stringify(r.id)}, ${JSON.stringify(r.title)}] else empty end)`).join(',\n');
const jqProgram = `[${tags}] as $m | select($m | length > 0) | ._ctq = {rules: [$m[][0]], titles: [$m[][1]]}`;
writeFileSync(join(dataDir, 'bench-rules.jq'), jqProgram);
const jq = `jq -c -f ${join(dataDir, 'bench-rules.jq')} ${input}`;

console.log(`\n50 rules over ${targetMb} MB of NDJSON (${runs} paired run${runs === 1 ? '' : 's'}, medians):`);
const versusRuns = pair(separately, once, runs);
console.log(`  50 separate ctq runs ÷ ctq --rules: ${versusRuns.ratio.toFixed(1)}× (target ≥ 10×; ${Math.round(versusRuns.a.medianMs)} ms vs ${Math.round(versusRuns.b.medianMs)} ms)`);
const versusJq = pair(jq, once, runs);
const same = versusJq.a.stdoutLines === versusJq.b.stdoutLines ? `same events: yes (${versusJq.b.stdoutLines})` : `same events: NO (${versusJq.a.stdoutLines} vs ${versusJq.b.stdoutLines})`;
console.log(`  one jq program with 50 selects ÷ ctq --rules: ${versusJq.ratio.toFixed(1)}× (target ≥ 5×; ${Math.round(versusJq.a.medianMs)} ms vs ${Math.round(versusJq.b.medianMs)} ms; ${same})`);
