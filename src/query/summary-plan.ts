/**
 * `--summary` and `--group-by` checked before anything is read: the grouping's paths parsed and checked into a
 * spec (summary-spec.ts) that the scan threads build their summaries from.
 */
import { checkValueReader, renderExpressionError } from '../language';
import type { SummaryOptions } from '../output/summary';
import { TERMINAL } from '../output/terminal-safe';
import { splitTopLevel } from './split-list';
import { graphValueFunctions, summaryOptionsFrom, type GroupPath, type SummarySpec } from './summary-spec';

export { groupingReadsGraph, summaryOptionsFrom, type SummarySpec } from './summary-spec';

/** What the user asked for: `--group-by`'s text (null: the default grouping), and whether rules give a row per rule. */
export interface SummaryRequest {
  readonly groupBy: string | null;
  readonly byRule: boolean;
}

export type SummarySpecResult =
  | { readonly ok: true; readonly spec: SummarySpec }
  /** `terminalSafe`: rendered for a terminal already (a path with its caret). */
  | { readonly ok: false; readonly message: string; readonly terminalSafe: boolean };

export function summarySpecOf(request: SummaryRequest): SummarySpecResult {
  if (request.groupBy === null) return { ok: true, spec: Object.freeze({ groupBy: null, byRule: request.byRule }) };
  const paths: GroupPath[] = [];
  // Checked with the value functions a graph answers (`session()`), as the scan will compile them.
  const functions = graphValueFunctions(null);
  for (const name of splitTopLevel(request.groupBy)) {
    const checked = checkValueReader(name, functions);
    if (!checked.ok) return { ok: false, message: renderExpressionError(name, checked.error, '--group-by', TERMINAL), terminalSafe: true };
    paths.push(Object.freeze({ name, operand: checked.operand }));
  }
  if (paths.length === 0) return { ok: false, message: '--group-by: expected one or more comma-separated JSONPaths (or session())', terminalSafe: false };
  return { ok: true, spec: Object.freeze({ groupBy: Object.freeze(paths), byRule: request.byRule }) };
}

export type SummaryOptionsResult =
  | { readonly ok: true; readonly options: SummaryOptions }
  | { readonly ok: false; readonly message: string; readonly terminalSafe: boolean };

/** The summary options of a request, checked. */
export function summaryOptionsOf(request: SummaryRequest): SummaryOptionsResult {
  const made = summarySpecOf(request);
  return made.ok ? { ok: true, options: summaryOptionsFrom(made.spec) } : made;
}
