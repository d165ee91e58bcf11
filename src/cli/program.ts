/** The command line: flags, help text, and their translation into typed options. */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { OutputFormat } from '../output/sinks';
import { terminalSafe } from '../output/terminal-safe';
import { DEFAULT_INTERVAL_SECONDS, DEFAULT_OVERLAP_MINUTES, type Engine, type RunOptions } from '../query/run-options';
import { splitList } from '../query/split-list';
// Only the version is bundled: esbuild keeps the named member of a JSON import and drops the rest.
import { version } from '../../package.json';

/**
 * The flags planning reads (see query/run-options.ts), and those only the CLI acts on: the rule files
 * and threshold flags it loads and checks before planning, and --debug. A round never sees these
 * options: it reads the plan (see test/architecture/cli-options.test.ts).
 */
export interface CliOptions extends RunOptions {
  readonly debug: boolean;
  readonly overlapMinutes: number;
  readonly intervalSeconds: number;
  // detection
  readonly rules: readonly string[];
  readonly sigma: readonly string[];
  readonly explainRules: boolean;
  readonly countBy?: string;
  readonly threshold?: number;
  readonly window?: string;
  readonly distinct?: string;
}

export type ParsedCommandLine =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'exit'; readonly code: number; readonly stdout: string; readonly stderr: string };

const EXAMPLES = `
Examples:
  ctq 's3:Get*' 'dynamodb:Get*' --input ./AWSLogs --match '$.errorCode == "AccessDenied"'
  ctq 'iam:*' --input trail.json.gz --match '$.userIdentity.arn regex "assumed-role/admin/"' --match '$.readOnly == false'
  aws cloudtrail lookup-events --output json | ctq 'sts:AssumeRole*' --input - | jq -r .eventID
  ctq '*:*' --input events.ndjson --match '$.errorCode != null and not ($.userIdentity.type == "AWSService")'
  ctq 'iam:*' --regions all --match '$.userIdentity.accessKeyId == "ASIAIOSFODNN7EXAMPLE"'
  ctq '*:*' --input ./AWSLogs --match 'chainOf("ASIAIOSFODNN7EXAMPLE")' --enrich
  ctq '*:*' --input ./AWSLogs --match 'chainOf("ASIAIOSFODNN7EXAMPLE")' --format dot | dot -Tsvg > chain.svg
  ctq '*:*' --input ./AWSLogs --match 'chainOf("ASIAIOSFODNN7EXAMPLE")' --report incident.html > /dev/null
  ctq 's3:GetObject' --input s3://org-trail/AWSLogs/ --from 2026-11-20 --to 2026-11-22 --regions eu-west-1
  ctq 'iam:*' --input s3://org-trail/ --state ~/.ctq/iam.state
  ctq 'iam:*' --engine athena --athena-table cloudtrail.org_trail --work-group ir --from 2025-12-01 --explain
  ctq athena-ddl --bucket org-trail --org o-abc123 --accounts 111122223333 --regions all --start 2024/01/01
  ctq 'cloudtrail:*' --match '$.eventName in ["StopLogging", "DeleteTrail"] and not cidr($.sourceIPAddress, "10.0.0.0/8")'
  ctq '*:*' --input ./AWSLogs --match '$.userAgent contains~ "kali" and $.eventTime >= "2026-11-20T00:00:00Z"'
  ctq 'iam:Put*Policy' --input ./AWSLogs --match-file admin-policy.ctq
  ctq --rules detections/ --input ./AWSLogs                 # many named rules in one pass; adds _ctq.rules
  ctq --sigma sigma/rules/cloud/aws/cloudtrail --last-minute 60 --regions all
  ctq --sigma rule.yml --explain-rules                       # show each Sigma rule as a ctq expression
  ctq '*:List*' '*:Describe*' --input ./AWSLogs --count-by 'session()' --distinct '$.eventName' --threshold 20 --window 10m

Rules (--rules): YAML files, each rule with id, title, actions, match (one expression or a list, ANDed), optional
severity, tags and threshold {count-by, threshold, window, distinct}. Positional IAM actions and --match still
apply to every rule. Sigma (--sigma): rules with logsource product aws, service cloudtrail; what a rule needs and
ctq cannot do is reported per rule and the rule is left out (fatal with --strict). Thresholds print one alert
record per key that reaches N events (or N distinct values) within the window.

Matching events go to stdout as NDJSON, one per line; notes, warnings and --stats go to stderr.
Exit status: 0 finished (bad records are reported but skipped unless --strict), 1 failed, 2 usage or expression
error, 130 interrupted (--follow ends with 0 on SIGINT/SIGTERM).
The expression language is described in grammar/README.md: ==, !=, <, <=, >, >=, contains, startswith,
endswith, in [...], not in [...], regex (RE2), case-insensitive =~ !~ contains~ startswith~ endswith~ in~,
and lower(), upper(), len(), cidr(), json(). 'ctq athena-ddl --help' describes the table --engine athena expects.`;

function positiveInt(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${flag} expects a positive whole number`);
    return Number(value);
  };
}

function positiveNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError(`${flag} expects a positive number`);
    return n;
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(): Command {
  return new Command('ctq')
    .version(version, '-V, --version', 'print the version of ctq')
    .description('Query AWS CloudTrail events by IAM action, expression and identity chain.')
    .usage('[options] <IAM_ACTION...>\n       ctq [options] (--rules PATH | --sigma PATH) [IAM_ACTION...]')
    .argument('[IAM_ACTION...]', "actions to select, 'service:ActionGlob' (e.g. 's3:Get*', 'iam:*Policy*', '*:*'); ORed, case-insensitive (optional with --rules/--sigma)")
    .option('-m, --match <expr>', 'keep events for which the expression holds (repeatable; ANDed)', collect)
    .option('--match-file <file>', "like --match, with the expression read from a file ('#' lines are comments; repeatable)", collect)
    .option(
      '-i, --input <path>',
      "read events from a file or directory (trail archives, NDJSON, lookup-events output; '-' = stdin), or a trail bucket in place, " +
        "s3://BUCKET[/PREFIX] (listed by its AWSLogs/ layout: only the accounts, regions and days asked for); repeatable. Without it, ctq calls CloudTrail LookupEvents",
      collect,
    )
    .option('--from <time>', "start of the window (ISO 8601, or 'YYYY-MM-DD HH:MM:SS' UTC)")
    .option('--to <time>', "end of the window (ISO 8601, or 'YYYY-MM-DD HH:MM:SS' UTC)")
    .option('--last-minute <minutes>', 'window of the last N minutes')
    .option('--strict', 'treat any unreadable input or bad record as fatal (exit 1)')
    .option('--stats', 'print one JSON line of counters to stderr at the end')
    .option('--workers <n>', 'worker threads for local inputs (default: the number of cores, started once a scan is long enough to pay for them; 1: none)', positiveInt('--workers'))
    .option('--region <region>', "AWS region for LookupEvents (default: AWS_REGION or the profile region); with --regions, the home region. For s3:// inputs only where to ask for the bucket's own region")
    .option('--regions <list>', "comma-separated regions, or 'all' for every region of the home region's partition; for s3:// inputs, the region folders to read")
    .option('--accounts <list>', 'for s3:// inputs and --engine athena: comma-separated account IDs whose folders to read (default: all)', splitList)
    .option('--profile <name>', 'AWS shared-config profile')
    .option('--endpoint-url <url>', 'CloudTrail endpoint (a VPC endpoint, or ctq-emulator); for s3:// inputs the S3 endpoint (else AWS_ENDPOINT_URL_S3)')
    .option('--rate <n>', 'LookupEvents calls per second per account and region (default: the documented limit)', positiveNumber('--rate'))
    .option('--explain', 'print the LookupEvents plan to stderr and exit without calling AWS; for s3:// inputs, list the folders to read and print them with their objects and bytes (lists, never GETs)')
    .option('--enrich', "add a '_ctq' member with the event's session and chain to each event")
    .option('--summary', 'one row per API (eventSource + eventName) instead of the events')
    .option('--group-by <paths>', 'with --summary: group by these comma-separated JSONPaths (or session()) instead')
    .addOption(
      new Option('--format <format>', "output format; 'dot' draws the identity graph of the matched events for Graphviz (| dot -Tsvg)")
        .choices(['ndjson', 'json', 'table', 'dot'])
        .default('ndjson'),
    )
    .option('--report <file>', 'also write one self-contained HTML page: the identity graph, a timeline of sessions and the per-API summary')
    .option('--columns <names>', 'with --format table: the columns to show, comma-separated, in order (ctq names the choices if one is unknown)')
    .option('--state <file>', 'continue from the last run recorded in this file (no gaps, no repeats)')
    .option('--overlap <minutes>', 'with --state/--follow: how far back to look for late-delivered events', positiveNumber('--overlap'), DEFAULT_OVERLAP_MINUTES)
    .option('--follow', 'keep polling and print new matching events as they appear')
    .option('--interval <seconds>', 'with --follow: seconds between polls', positiveNumber('--interval'), DEFAULT_INTERVAL_SECONDS)
    .addOption(
      new Option(
        '--engine <engine>',
        'where to read: local files (--input), CloudTrail LookupEvents, or the trail table through Amazon Athena (--region and --endpoint-url are then Athena\'s; --regions and --accounts filter partitions; --explain prints the SQL and the partitions it reads)',
      ).choices(['local', 'lookup-events', 'athena']),
    )
    .option('--athena-table <table>', "with --engine athena: the trail table ('database.table'), as 'ctq athena-ddl' creates it")
    .option('--work-group <name>', 'with --engine athena: the Athena workgroup (as the AWS CLI)')
    .addOption(new Option('--workgroup <name>').hideHelp())
    .option('--query-execution-context <context>', "with --engine athena: 'Database=…,Catalog=…' or the JSON the AWS CLI takes")
    .option('--result-configuration <config>', "with --engine athena: 'OutputLocation=s3://…' or the JSON the AWS CLI takes (default: the workgroup's)")
    .option('--max-scan-gb <n>', 'with --engine athena: stop any query that scans more than N GB', positiveNumber('--max-scan-gb'))
    .option('--delivery-margin <hours>', 'with --engine athena: hours after the window whose date folders may still hold its events (default 24)', positiveNumber('--delivery-margin'))
    .option('--rules <path>', 'run the detection rules in this YAML file or directory in one pass (repeatable); adds _ctq.rules', collect)
    .option('--sigma <path>', "run the Sigma rules (product aws, service cloudtrail) in this file or directory (repeatable)", collect)
    .option('--explain-rules', 'print each rule as the ctq expression it runs (Sigma translations included) and exit')
    .option('--count-by <paths>', "threshold key: comma-separated JSONPaths or session() (e.g. 'session()' or '$.userIdentity.arn,$.awsRegion')")
    .option('--threshold <n>', 'with --count-by: alert when N matching events (or N distinct --distinct values) share a key within --window', positiveInt('--threshold'))
    .option('--window <duration>', "with --count-by: the sliding window, e.g. '5m', '90s', '1h'")
    .option('--distinct <path>', 'with --count-by: count distinct values of this JSONPath instead of events')
    .option('--debug', 'show stack traces for internal errors')
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError('(run ctq --help for usage)')
    .allowExcessArguments(false);
}

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const program = buildProgram();
  let stdout = '';
  let stderr = '';
  program.exitOverride().configureOutput({
    writeOut: (text) => (stdout += text),
    writeErr: (text) => (stderr += text),
  });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const help = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      // Commander echoes the offending argument (`--format $'\e[2J'`): escape it like every other diagnostic.
      return { kind: 'exit', code: help ? 0 : 2, stdout, stderr: help ? stderr : stderr.split('\n').map(terminalSafe).join('\n') };
    }
    throw error;
  }
  const o = program.opts();
  return {
    kind: 'run',
    options: {
      actions: program.args,
      matches: (o.match as string[] | undefined) ?? [],
      matchFiles: (o.matchFile as string[] | undefined) ?? [],
      inputs: (o.input as string[] | undefined) ?? [],
      from: o.from as string | undefined,
      to: o.to as string | undefined,
      lastMinutes: o.lastMinute as string | undefined,
      strict: o.strict === true,
      stats: o.stats === true,
      workers: o.workers as number | undefined,
      debug: o.debug === true,
      region: o.region as string | undefined,
      regions: o.regions as string | undefined,
      profile: o.profile as string | undefined,
      endpointUrl: o.endpointUrl as string | undefined,
      rate: o.rate as number | undefined,
      explain: o.explain === true,
      accounts: o.accounts as string[] | undefined,
      enrich: o.enrich === true,
      summary: o.summary === true,
      groupBy: o.groupBy as string | undefined,
      format: o.format as OutputFormat,
      ...(o.report !== undefined ? { report: o.report as string } : {}),
      ...(o.columns !== undefined ? { columns: (o.columns as string).split(',').map((c) => c.trim()).filter((c) => c !== '') } : {}),
      state: o.state as string | undefined,
      overlapMinutes: o.overlap as number,
      follow: o.follow === true,
      intervalSeconds: o.interval as number,
      engine: o.engine as Engine | undefined,
      athenaTable: o.athenaTable as string | undefined,
      workGroup: (o.workGroup ?? o.workgroup) as string | undefined,
      queryExecutionContext: o.queryExecutionContext as string | undefined,
      resultConfiguration: o.resultConfiguration as string | undefined,
      maxScanGb: o.maxScanGb as number | undefined,
      deliveryMarginHours: o.deliveryMargin as number | undefined,
      rules: (o.rules as string[] | undefined) ?? [],
      sigma: (o.sigma as string[] | undefined) ?? [],
      explainRules: o.explainRules === true,
      countBy: o.countBy as string | undefined,
      threshold: o.threshold as number | undefined,
      window: o.window as string | undefined,
      distinct: o.distinct as string | undefined,
    },
  };
}
