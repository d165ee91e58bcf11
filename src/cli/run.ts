/**
 * One ctq run: parse the command line, compile the query, pick the source, stream matches to the
 * sink, report. Returns the exit code; never calls process.exit (tests run it in-process).
 */
import type { Readable, Writable } from 'node:stream';
import { compileQuery, type CompiledQuery } from '../query/query';
import { makeWindow } from '../query/time-window';
import { scanLocal } from '../query/local-scan';
import { emptyStats, formatStatsLine, type RunStats } from '../query/stats';
import { NdjsonSink } from '../output/ndjson-sink';
import { createSink, type OutputSink } from '../output/sinks';
import type { GroupKey, SummaryOptions } from '../output/summary';
import { compileValueReader, renderExpressionError } from '../language';
import { sessionKeyOf } from '../identity';
import { splitTopLevel } from './split-list';
import { Diagnostics } from './diagnostics';
import { ExitCode } from './exit-codes';
import { parseCommandLine, type CliOptions } from './program';

export interface RunIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;
  /** The bundled scan worker, when running from the build; null runs single-threaded. */
  readonly workerUrl: URL | null;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal?: AbortSignal;
}

/** A usage problem found before anything was read: exit 2, nothing on stdout. */
class UsageProblem {
  constructor(readonly message: string) {}
}

export async function run(argv: readonly string[], io: RunIo): Promise<ExitCode> {
  const parsed = parseCommandLine(argv);
  if (parsed.kind === 'exit') {
    io.stdout.write(parsed.stdout);
    io.stderr.write(parsed.stderr);
    return parsed.code as ExitCode;
  }
  const diagnostics = new Diagnostics(io.stderr);
  const options = parsed.options;
  const prepared = prepare(options, io);
  if (prepared instanceof UsageProblem) {
    diagnostics.block(prepared.message.startsWith('ctq:') ? prepared.message : `ctq: ${prepared.message}`);
    return ExitCode.Usage;
  }
  const { query, summary } = prepared;
  for (const warning of query.warnings) diagnostics.warn(warning);

  const stats = emptyStats();
  const out = new NdjsonSink(io.stdout);
  const sink = createSink(out, { format: options.format, width: outputWidth(io), summary });
  const stop = new AbortController();
  out.onClosed(() => stop.abort());
  io.signal?.addEventListener('abort', () => stop.abort(), { once: true });

  let code: ExitCode = ExitCode.Ok;
  try {
    if (options.inputs.length > 0) code = await runLocal(options, query, io, sink, diagnostics, stats, stop);
    else {
      diagnostics.error('the LookupEvents source is not wired in yet; use --input');
      code = ExitCode.Failure;
    }
  } catch (error) {
    diagnostics.error(internalErrorText(error, options.debug));
    code = ExitCode.Failure;
  }
  await sink.finish();
  if (out.error !== null) {
    diagnostics.error(`cannot write output: ${out.error.message}`);
    code = ExitCode.Failure;
  }
  if (options.stats) io.stderr.write(formatStatsLine(stats) + '\n');
  return code;
}

function prepare(options: CliOptions, io: RunIo): { query: CompiledQuery; summary: SummaryOptions | null } | UsageProblem {
  const window = makeWindow({ from: options.from, to: options.to, lastMinutes: options.lastMinutes }, io.now());
  if (!window.ok) return new UsageProblem(window.message);
  const compiled = compileQuery({ actions: options.actions, matches: options.matches, window: window.window });
  if (!compiled.ok) return new UsageProblem(compiled.message);
  if (options.groupBy !== undefined && !options.summary) return new UsageProblem('--group-by needs --summary');
  let summary: SummaryOptions | null = null;
  if (options.summary) {
    const groupBy = options.groupBy === undefined ? [] : parseGroupBy(options.groupBy);
    if (groupBy instanceof UsageProblem) return groupBy;
    summary = { sessionOf: sessionKeyOf, groupBy };
  }
  return { query: compiled.query, summary };
}

function parseGroupBy(text: string): GroupKey[] | UsageProblem {
  const keys: GroupKey[] = [];
  for (const path of splitTopLevel(text)) {
    const reader = compileValueReader(path);
    if (!reader.ok) return new UsageProblem(renderExpressionError(path, reader.error, '--group-by'));
    keys.push({ name: path, of: reader.read });
  }
  if (keys.length === 0) return new UsageProblem('--group-by: expected one or more comma-separated JSONPaths');
  return keys;
}

/** Tables fit the terminal; piped, they use $COLUMNS or a width that suits a pager. */
function outputWidth(io: RunIo): number {
  const stream = io.stdout as Writable & { isTTY?: boolean; columns?: number };
  if (stream.isTTY && stream.columns) return stream.columns;
  const columns = Number(io.env.COLUMNS);
  return Number.isInteger(columns) && columns > 20 ? columns : 160;
}

async function runLocal(
  options: CliOptions,
  query: CompiledQuery,
  io: RunIo,
  sink: OutputSink,
  diagnostics: Diagnostics,
  stats: RunStats,
  stop: AbortController,
): Promise<ExitCode> {
  let failed = false;
  await scanLocal({
    inputs: options.inputs,
    query,
    workerUrl: io.workerUrl,
    workers: options.workers,
    stdin: io.stdin,
    stats,
    signal: stop.signal,
    write: (text) => sink.write(text),
    onBad: (origin, message) => {
      diagnostics.badRecord(origin, message);
      if (options.strict) {
        failed = true;
        stop.abort();
      }
    },
    onDiscovery: (discovery) => {
      if (discovery.kind === 'missing') {
        // A named input that is not there is a failed run, not a bad record: a cron job must notice.
        diagnostics.error(`${discovery.path}: ${discovery.message}`);
        failed = true;
        if (options.strict) stop.abort();
      } else if (discovery.kind === 'skipped' && discovery.reason !== 'CloudTrail digest file') {
        diagnostics.note(`skipping ${discovery.path}: ${discovery.reason}`);
      }
    },
  });
  diagnostics.summarizeBad(stats.badRecords, options.strict);
  if (io.signal?.aborted) return ExitCode.Interrupted;
  return failed ? ExitCode.Failure : ExitCode.Ok;
}

function internalErrorText(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error && error.stack) return error.stack;
  const message = error instanceof Error ? error.message : String(error);
  return `${message} (internal error; run with --debug for details)`;
}
