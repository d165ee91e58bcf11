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
import { IdentityGraphBuilder, identityFunctions, sessionKeyOf, type IdentityGraph } from '../identity';
import { callsIn, usesFunction } from '../query/expression-calls';
import type { JsonObject } from '../language/json';
import type { Discovery } from '../sources/local/discover';
import type { Origin } from '../sources/source-item';
import { checkChainArguments, scanLocalWithIdentity } from '../query/identity-scan';
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
  const { query, summary, identity } = prepared;
  for (const warning of query.warnings) diagnostics.warn(warning);

  const stats = emptyStats();
  const out = new NdjsonSink(io.stdout);
  const sink = createSink(out, { format: options.format, width: outputWidth(io), summary });
  const stop = new AbortController();
  out.onClosed(() => stop.abort());
  io.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  // A read from a live stdin would otherwise wait for input that may never come.
  if (options.inputs.includes('-')) stop.signal.addEventListener('abort', () => io.stdin.destroy(), { once: true });

  let code: ExitCode = ExitCode.Ok;
  try {
    if (options.inputs.length > 0) code = await runLocal(options, query, identity, io, sink, diagnostics, stats, stop);
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

/** Where `session()` answers come from: the event alone until an identity graph has been built. */
interface IdentityContext {
  /** session(), chainOf(), --enrich or --summary: the input is read twice, graph first. */
  readonly needsGraph: boolean;
  sessionOf: (event: JsonObject) => string | null;
}

function prepare(
  options: CliOptions,
  io: RunIo,
): { query: CompiledQuery; summary: SummaryOptions | null; identity: IdentityContext } | UsageProblem {
  const window = makeWindow({ from: options.from, to: options.to, lastMinutes: options.lastMinutes }, io.now());
  if (!window.ok) return new UsageProblem(window.message);
  // Compiled here against an empty graph only to check everything before any event is read.
  const placeholder = identityFunctions(new IdentityGraphBuilder().finish());
  const compiled = compileQuery({ actions: options.actions, matches: options.matches, window: window.window }, placeholder);
  if (!compiled.ok) return new UsageProblem(compiled.message);
  const badChain = checkChainArguments(compiled.query);
  if (badChain !== null) return new UsageProblem(badChain);
  const exprs = compiled.query.expressions;
  const identity: IdentityContext = {
    needsGraph: options.enrich || options.summary || usesFunction(exprs, 'chainOf') || usesFunction(exprs, 'session'),
    sessionOf: sessionKeyOf,
  };
  if (options.groupBy !== undefined && !options.summary) return new UsageProblem('--group-by needs --summary');
  let summary: SummaryOptions | null = null;
  if (options.summary) {
    const groupBy = options.groupBy === undefined ? [] : parseGroupBy(options.groupBy);
    if (groupBy instanceof UsageProblem) return groupBy;
    summary = { sessionOf: (event) => identity.sessionOf(event), groupBy };
  }
  return { query: compiled.query, summary, identity };
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
  identity: IdentityContext,
  io: RunIo,
  sink: OutputSink,
  diagnostics: Diagnostics,
  stats: RunStats,
  stop: AbortController,
): Promise<ExitCode> {
  let failed = false;
  const skipped: string[] = [];
  const common = {
    inputs: options.inputs,
    stdin: io.stdin,
    stats,
    signal: stop.signal,
    write: (text: string) => sink.write(text),
    onBad: (origin: Origin, message: string) => {
      diagnostics.badRecord(origin, message);
      if (options.strict) {
        failed = true;
        stop.abort();
      }
    },
    onDiscovery: (discovery: Discovery) => {
      if (discovery.kind === 'missing') {
        // A named input that is not there is a failed run, not a bad record: a cron job must notice.
        diagnostics.error(`${discovery.path}: ${discovery.message}`);
        failed = true;
        if (options.strict) stop.abort();
      } else if (discovery.kind === 'skipped' && discovery.reason !== 'CloudTrail digest file') {
        skipped.push(discovery.path);
      }
    },
  };
  if (identity.needsGraph) {
    await scanLocalWithIdentity({
      ...common,
      spec: query.spec,
      enrich: options.enrich,
      onWarning: (message) => diagnostics.warn(message),
      onGraph: (graph) => {
        identity.sessionOf = (event) => graph.sessionOf(event);
        warnUnusedChains(query, graph, diagnostics);
      },
    });
  } else {
    await scanLocal({ ...common, query, workerUrl: io.workerUrl, workers: options.workers });
  }
  if (skipped.length > 0) {
    const first = skipped[0]!;
    const more = skipped.length > 1 ? ` and ${skipped.length - 1} more` : '';
    diagnostics.note(`not read: ${first}${more} (in a directory, only .json, .jsonl, .ndjson, .log and .gz files are read; name a file to read it)`);
  }
  diagnostics.summarizeBad(stats.badRecords, options.strict);
  if (io.signal?.aborted) return ExitCode.Interrupted;
  return failed ? ExitCode.Failure : ExitCode.Ok;
}

/** A well-formed chainOf() argument that names nothing in the input is most likely a typo or the wrong input. */
function warnUnusedChains(query: CompiledQuery, graph: IdentityGraph, diagnostics: Diagnostics): void {
  for (const expr of query.expressions) {
    for (const call of callsIn(expr)) {
      const arg = call.args[0];
      if (call.name !== 'chainOf' || arg?.kind !== 'literal' || typeof arg.value !== 'string') continue;
      const result = graph.chainMatcher(arg.value);
      if (result.ok && result.targets.length === 0) diagnostics.warn(`chainOf("${arg.value}"): no session in the input has it`);
    }
  }
}

function internalErrorText(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error && error.stack) return error.stack;
  const message = error instanceof Error ? error.message : String(error);
  return `${message} (internal error; run with --debug for details)`;
}
