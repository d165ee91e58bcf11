/**
 * `--count-by`/`--threshold`/`--window`/`--distinct`, checked before anything is read. The CLI asks for
 * this check first, before it loads rule files, so that a bad threshold is reported whatever the rules
 * hold; the result reaches planRun with the rules (see DetectionInput in plan-run.ts).
 */
import { compileValueReader, renderExpressionError } from '../language';
import type { OutputFormat } from '../output/sinks';
import { TERMINAL } from '../output/terminal-safe';
import { isSessionCall } from '../rules/check';
import { DURATION_HINT, parseDuration } from '../rules/duration';
import type { ThresholdSpec } from '../rules/rule';
import { splitTopLevel } from './split-list';

/** `--count-by … --threshold N --window D`, with the window as it was written (alerts repeat it). */
export type CliThreshold = ThresholdSpec & { readonly windowText: string };

/** The flags the check reads (the CLI's options fit it). */
export interface ThresholdFlags {
  readonly countBy?: string;
  readonly threshold?: number;
  readonly window?: string;
  readonly distinct?: string;
  readonly summary: boolean;
  readonly format: OutputFormat;
}

/** The threshold the flags ask for, null when none is, or a message already safe for a terminal. */
export function planThreshold(flags: ThresholdFlags): CliThreshold | null | string {
  const given = [flags.countBy, flags.threshold, flags.window, flags.distinct].some((v) => v !== undefined);
  if (!given) return null;
  if (flags.threshold === undefined || flags.window === undefined) return '--count-by/--distinct need --threshold N and --window DURATION';
  const windowMs = parseDuration(flags.window);
  if (windowMs === null) return `--window: expected ${DURATION_HINT}`;
  const countBy = flags.countBy === undefined ? [] : splitTopLevel(flags.countBy);
  for (const [label, text] of [...countBy.map((t) => ['--count-by', t] as const), ...(flags.distinct ? [['--distinct', flags.distinct] as const] : [])]) {
    if (isSessionCall(text)) continue;
    const reader = compileValueReader(text);
    if (!reader.ok) return renderExpressionError(text, reader.error, label, TERMINAL);
  }
  if (flags.summary || flags.format === 'table') return '--count-by writes alert records: it cannot be combined with --summary or --format table';
  return { countBy, threshold: flags.threshold, windowMs, windowText: flags.window, ...(flags.distinct !== undefined ? { distinct: flags.distinct } : {}) };
}
