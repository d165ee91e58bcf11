/**
 * `ctq athena-ddl`: prints the CREATE EXTERNAL TABLE that `--engine athena` expects. A subcommand
 * only by its first argument: an IAM action always holds a ':', so `athena-ddl` cannot be one.
 */
import { Command, CommanderError, Option } from 'commander';
import { athenaDdl, checkDdlOptions } from '../athena-sql';
import { partitionRegions } from '../sources/cloudtrail-api/regions';
import { ExitCode } from './exit-codes';
import type { RunIo } from './run-io';
import { splitList } from '../query/split-list';

export const ATHENA_DDL = 'athena-ddl';

function buildCommand(): Command {
  return new Command(`ctq ${ATHENA_DDL}`)
    .description('Print the Athena CREATE EXTERNAL TABLE for a CloudTrail trail bucket, with partition projection over account, region and date.')
    .requiredOption('--bucket <name>', 'the S3 bucket the trail delivers to')
    .option('--prefix <prefix>', "the trail's S3 key prefix, if it has one", '')
    .option('--org <id>', "the organisation ID (o-…) for an organisation trail's layout (AWSLogs/o-…/<account>/…)")
    .requiredOption('--accounts <list>', 'comma-separated account IDs whose logs the bucket holds')
    .requiredOption('--regions <list>', "comma-separated regions, or 'all' for every region of --partition-region's partition")
    .requiredOption('--start <yyyy/MM/dd>', 'the first day to project (the oldest logs you keep)')
    .option('--table <name>', "the table to create ('database.table' or 'table')", 'cloudtrail.trail')
    .addOption(new Option('--partition-region <region>', "with --regions all: a region of the partition to list").default('us-east-1'))
    .addHelpText(
      'after',
      `
Example:
  ctq athena-ddl --bucket org-trail --org o-abc123 --accounts 111122223333,444455556666 --regions all --start 2024/01/01

Run the statement in Athena once; then query with --engine athena --athena-table <database.table>.`,
    )
    .showHelpAfterError(`(run ctq ${ATHENA_DDL} --help for usage)`)
    .allowExcessArguments(false);
}

export async function runAthenaDdl(argv: readonly string[], io: RunIo): Promise<ExitCode> {
  const command = buildCommand();
  let stdout = '';
  let stderr = '';
  command.exitOverride().configureOutput({ writeOut: (t) => (stdout += t), writeErr: (t) => (stderr += t) });
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    io.stdout.write(stdout);
    io.stderr.write(stderr);
    return error.code === 'commander.helpDisplayed' ? ExitCode.Ok : ExitCode.Usage;
  }
  const o = command.opts();
  const regionsText = String(o.regions).trim();
  const regions = regionsText === 'all' ? await partitionRegions(String(o.partitionRegion)) : splitList(regionsText);
  const checked = checkDdlOptions({
    table: String(o.table),
    bucket: String(o.bucket),
    prefix: String(o.prefix).replace(/^\/+|\/+$/g, ''),
    organizationId: o.org === undefined ? null : String(o.org),
    accounts: splitList(String(o.accounts)),
    regions,
    start: String(o.start),
  });
  if (!checked.ok) {
    io.stderr.write(`ctq ${ATHENA_DDL}: ${checked.message}\n`);
    return ExitCode.Usage;
  }
  io.stdout.write(athenaDdl(checked.options));
  return ExitCode.Ok;
}
