/**
 * `ctq-emulator`: an offline CloudTrail LookupEvents endpoint for tests and benchmarks.
 * Prints its URL as the first line of stdout; everything else goes to stderr.
 */
import { Command, InvalidArgumentError } from 'commander';
import { parseKeyAccounts } from './accounts';
import { startEmulator } from './emulator';
import { LOOKUP_EVENTS_TPS } from './throttle';

function fraction(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) throw new InvalidArgumentError('expected a fraction between 0 and 1');
  return number;
}

function nonNegative(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new InvalidArgumentError('expected a number of 0 or more');
  return number;
}

function port(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) throw new InvalidArgumentError('expected a port number (0 for any free port)');
  return number;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const program = new Command()
  .name('ctq-emulator')
  .description(
    'Serve CloudTrail LookupEvents (awsJson1_1, as the AWS SDKs and CLI speak it) from local event files, on loopback.\n' +
      'Prints http://127.0.0.1:PORT as the first line of stdout. Regions come from the SigV4 credential scope.',
  )
  .requiredOption('--data <path...>', 'event files or directories, in any format ctq --input reads')
  .option('--port <n>', 'port to listen on (0 picks a free one)', port, 0)
  .option('--rate <n>', `LookupEvents per second per account and region (0 = unlimited)`, nonNegative, LOOKUP_EVENTS_TPS)
  .option('--account <id>', 'with multi-account data, the account served to callers --key-account does not name')
  .option('--key-account <akid=account>', "serve ACCOUNT to callers signing with access key AKID (repeatable)", collect, [])
  .option('--throttle-rate <p>', 'fraction of requests throttled on top of the rate limit', fraction, 0)
  .option('--error-rate <p>', 'fraction of requests answered HTTP 500/503', fraction, 0)
  .option('--drop-rate <p>', 'fraction of requests whose connection is dropped without an answer', fraction, 0)
  .option('--latency <ms>', 'delay before every answer', nonNegative, 0)
  .option('--restart-rate <p>', 'fraction of requests before which the emulator acts restarted: earlier NextTokens become invalid', fraction, 0)
  .option('--seed <n>', 'seed for the fault draws, for repeatable runs', nonNegative)
  .option('--verbose', 'log every request on stderr', false);

interface Flags {
  data: string[];
  port: number;
  rate: number;
  account?: string;
  keyAccount: string[];
  throttleRate: number;
  errorRate: number;
  dropRate: number;
  latency: number;
  restartRate: number;
  seed?: number;
  verbose: boolean;
}

function keyAccountsOf(pairs: readonly string[]): Map<string, string> {
  try {
    return parseKeyAccounts(pairs);
  } catch (error) {
    return program.error(`error: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<Flags>();
  const keyAccounts = keyAccountsOf(flags.keyAccount);
  const emulator = await startEmulator({
    data: { kind: 'paths', paths: flags.data },
    port: flags.port,
    rate: flags.rate,
    account: flags.account ?? null,
    keyAccounts,
    faults: {
      throttleRate: flags.throttleRate,
      errorRate: flags.errorRate,
      dropRate: flags.dropRate,
      latencyMs: flags.latency,
      restartRate: flags.restartRate,
      ...(flags.seed !== undefined && { seed: flags.seed }),
    },
    verbose: flags.verbose,
  });
  process.stdout.write(`${emulator.url}\n`);
  const stop = (signal: NodeJS.Signals): void => {
    process.stderr.write(`ctq-emulator: ${signal}, stopping\n`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  const verbose = program.opts<Flags>().verbose;
  const text = error instanceof Error ? (verbose ? (error.stack ?? error.message) : error.message) : String(error);
  process.stderr.write(`ctq-emulator: ${text}\n`);
  process.exit(1);
});
