/**
 * One ctq run: parse the command line, check everything, then read the sources once — or, with
 * --follow, again and again — writing matches to the sink. Returns the exit code; never calls
 * process.exit (tests run it in-process).
 */
import { setMaxListeners } from 'node:events';
import type { Writable } from 'node:stream';
import { takeFilterFaults } from '../language';
import { NdjsonSink } from '../output/ndjson-sink';
import { ReportSink } from '../output/report/report-sink';
import { Matches } from '../output/match-record';
import { createSink, type OutputSink } from '../output/sinks';
import type { Checkpoint } from '../query/checkpoint';
import { athenaCostUsd, emptyAthenaStats } from '../query/athena-scan';
import { isScanSource, planRun, UsageProblem, type StatePlan } from '../query/plan-run';
import { emptyStats, formatStatsLine } from '../query/stats';
import { abortableSleep } from '../sources/abortable-sleep';
import { ATHENA_DDL, runAthenaDdl } from './athena-ddl-command';
import { ThresholdStage } from '../detect/threshold-stage';
import { fanOutByRule } from '../rules/summary-by-rule';
import { prepareDetection } from './detection';
import { Diagnostics } from './diagnostics';
import { ExitCode } from './exit-codes';
import { loadMatchFiles } from './match-files';
import { parseCommandLine } from './program';
import type { RoundContext, RoundResult } from './round';
import type { RunIo } from './run-io';
import { readApiRound } from './run-api';
import { readAthenaRound } from './run-athena';
import { readLocalRound } from './run-local';
import { emptyS3Counters } from '../sources/s3/counters';

export type { RunIo } from './run-io';

// --state and thresholds' state are imported when a run uses them: their digests and temporary
// names load node:crypto, which a plain scan never needs. (Other optional parts stay in the bundle:
// each lazy import adds a chunk, and a module more at start-up costs more than its bytes.)
const loadCheckpoint = () => Promise.all([import('../query/checkpoint'), import('../state')]);
const loadThresholdState = () => import('../detect/threshold-state');

export async function run(argv: readonly string[], io: RunIo): Promise<ExitCode> {
  if (argv[0] === ATHENA_DDL) return runAthenaDdl(argv.slice(1), io);
  const parsed = parseCommandLine(argv);
  if (parsed.kind === 'exit') {
    io.stdout.write(parsed.stdout);
    io.stderr.write(parsed.stderr);
    return parsed.code as ExitCode;
  }
  const diagnostics = new Diagnostics(io.stderr);
  const loaded = loadMatchFiles(parsed.options);
  if (!loaded.ok) {
    diagnostics.block(`ctq: ${loaded.message}`);
    return ExitCode.Usage;
  }
  const options = loaded.options;
  const detection = await prepareDetection(options, diagnostics, io.stdout);
  if (!detection.ok) return detection.code;
  const plan = planRun(options, io.now(), { rules: detection.detection.rules, threshold: detection.detection.cliThreshold });
  if (plan instanceof UsageProblem) {
    const message = plan.message.startsWith('ctq:') ? plan.message : `ctq: ${plan.message}`;
    if (plan.terminalSafe) diagnostics.safeBlock(message);
    else diagnostics.block(message);
    return ExitCode.Usage;
  }
  for (const warning of plan.query.warnings) diagnostics.warn(warning);

  const stats = emptyStats();
  const athenaStats = emptyAthenaStats();
  const s3Counters = emptyS3Counters();
  const out = new NdjsonSink(io.stdout);
  let reportFailed = false;
  const chosenSink = createSink(out, {
    format: plan.output.format,
    width: outputWidth(io),
    summary: plan.output.summary,
    onNote: (message) => diagnostics.note(message),
    ...(plan.output.columns !== null ? { columns: plan.output.columns } : {}),
  });
  const reported =
    plan.output.report === null
      ? chosenSink
      : new ReportSink(chosenSink, {
          file: plan.output.report,
          argv,
          now: () => new Date(io.now()),
          onError: (message) => {
            diagnostics.error(message);
            reportFailed = true;
          },
        });
  const sink: OutputSink =
    plan.output.fanOutByRule
      ? { write: (matches) => reported.write(matches.with(fanOutByRule(matches.records))), finish: () => reported.finish() }
      : reported;
  const thresholds = plan.detection.counts
    ? new ThresholdStage({ cli: plan.detection.threshold, rules: plan.detection.rules, onWarning: (message) => diagnostics.warn(message) })
    : null;
  const emit = thresholds === null ? (matches: Matches) => sink.write(matches) : (matches: Matches) => sink.write(matches.with(thresholds.process(matches)));
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // each concurrent lookup listens for the stop
  out.onClosed(() => stop.abort());
  io.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  // A read from a live stdin would otherwise wait for input that may never come.
  if (isScanSource(plan.source) && plan.source.readsStdin) {
    stop.signal.addEventListener('abort', () => io.stdin.destroy(), { once: true });
  }

  const checkpoint = await openCheckpoint(plan.state, io, diagnostics);
  if (checkpoint instanceof Error) {
    diagnostics.error(checkpoint.message);
    return ExitCode.Failure;
  }
  // Thresholds' windows are kept beside the --state file, so a cron run continues the last one's.
  const stateFile = plan.state?.file ?? null;
  const windowsFile = thresholds !== null && stateFile !== null ? { ...(await loadThresholdState()), state: stateFile } : null;
  if (thresholds !== null && windowsFile !== null) {
    const saved = await windowsFile.loadThresholdState(windowsFile.thresholdStatePath(windowsFile.state));
    if (!saved.ok) {
      diagnostics.error(saved.message);
      await checkpoint?.close();
      return ExitCode.Failure;
    }
    if (saved.state !== null) thresholds.restore(saved.state);
  }

  const follow = plan.state?.follow ?? null;
  let failed = detection.detection.brokenRules;
  try {
    const readRound =
      plan.source.kind === 'athena'
        ? (ctx: RoundContext) => readAthenaRound({ ...ctx, athenaStats })
        : plan.source.kind === 'lookup-events'
          ? readApiRound
          : readLocalRound;
    for (;;) {
      const now = new Date(io.now());
      const ctx: RoundContext = {
        plan,
        io,
        diagnostics,
        stats,
        s3Counters,
        signal: stop.signal,
        abort: () => stop.abort(),
        checkpoint,
        now,
        write: (matches) => {
          if (checkpoint === null) return emit(matches);
          const fresh = checkpoint.keepNew(matches.records);
          stats.matched -= fresh.dropped;
          return emit(matches.with(fresh.records));
        },
      };
      const result: RoundResult & { explained?: boolean } = await readRound(ctx);
      warnFilterFaults(diagnostics);
      failed ||= result.failed;
      if (checkpoint !== null && !result.explained) {
        const saved = await checkpoint.commit(now, { localInputs: isScanSource(plan.source) });
        if (!saved.ok) {
          diagnostics.error(saved.message);
          failed = true;
          break;
        }
        if (thresholds !== null && windowsFile !== null) {
          const windows = await windowsFile.saveThresholdState(windowsFile.thresholdStatePath(windowsFile.state), thresholds.save());
          if (!windows.ok) {
            diagnostics.error(windows.message);
            failed = true;
            break;
          }
        }
      }
      if (follow === null || result.explained || stop.signal.aborted) break;
      await abortableSleep(follow.intervalMs, stop.signal);
      if (stop.signal.aborted) break;
      checkpoint?.nextRound();
    }
  } catch (error) {
    diagnostics.error(internalErrorText(error, options.debug));
    failed = true;
  } finally {
    await checkpoint?.close();
  }
  warnFilterFaults(diagnostics);
  await sink.finish();
  if (out.error !== null) {
    diagnostics.error(`cannot write output: ${out.error.message}`);
    failed = true;
  }
  diagnostics.summarizeBad(plan.strict);
  if (plan.stats) {
    // Keys of the sources a run used come after the stable ones: S3's with s3:// inputs or Athena (which reads
    // the objects it names from S3), Athena's with --engine athena.
    const { objects, bytesRead, listCalls, getCalls, objectsListed } = s3Counters;
    const s3: Record<string, number> = plan.source.kind === 's3' || plan.source.kind === 'athena' ? { objects, bytesRead, listCalls, getCalls, objectsListed } : {};
    const athena: Record<string, number> = plan.source.kind === 'athena' ? { ...athenaStats, estimatedCostUsd: athenaCostUsd(athenaStats) } : {};
    io.stderr.write(formatStatsLine(stats, { ...s3, ...athena }) + '\n');
  }
  if (failed || reportFailed) return ExitCode.Failure;
  // --follow is meant to be ended by a signal; anything else that was interrupted says so.
  if (io.signal?.aborted && follow === null) return ExitCode.Interrupted;
  return ExitCode.Ok;
}

/** A JSONPath filter that threw counted as false where it threw; the user is told, once per filter and round. */
function warnFilterFaults(diagnostics: Diagnostics): void {
  for (const fault of takeFilterFaults()) {
    const times = fault.count === 1 ? 'once' : `${fault.count} times`;
    diagnostics.warn(`the path filter ?(${fault.filter}) failed ${times} (${fault.message}) and counted as false there; guard it, e.g. ?(@.a && @.a.b == 1)`);
  }
}

/** The fingerprint comes from the plan: what the query selects, as planned, not how the flags spelled it. */
async function openCheckpoint(state: StatePlan | null, io: RunIo, diagnostics: Diagnostics): Promise<Checkpoint | null | Error> {
  if (state === null) return null;
  const [{ Checkpoint }, { queryFingerprint }] = await loadCheckpoint();
  const opened = await Checkpoint.open(state.file, queryFingerprint(state.query), state.overlapMs, new Date(io.now()), (message) =>
    diagnostics.warn(message),
  );
  return opened.ok ? opened.checkpoint : new Error(opened.message);
}

/** Tables fit the terminal; piped, they use $COLUMNS or a width that suits a pager. */
function outputWidth(io: RunIo): number {
  const stream = io.stdout as Writable & { isTTY?: boolean; columns?: number };
  if (stream.isTTY && stream.columns) return stream.columns;
  const columns = Number(io.env.COLUMNS);
  return Number.isInteger(columns) && columns > 20 ? columns : 160;
}

function internalErrorText(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error && error.stack) return error.stack;
  const message = error instanceof Error ? error.message : String(error);
  return `${message} (internal error; run with --debug for details)`;
}
