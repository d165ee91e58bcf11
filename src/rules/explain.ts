/**
 * `--explain-rules`: the loaded rules (ctq's own and translated Sigma) written back as one ctq rules
 * file, which reads back to the same rules. Loaded only by that flag, with the rest of rule loading.
 */
import { stringify } from 'yaml';
import { formatDuration } from './duration';
import type { RuleSpec } from './rule';

export function explainRules(rules: readonly RuleSpec[]): string {
  return stringify({ rules: rules.map(explainable) }, { lineWidth: 0 });
}

/** A rule as a ctq rules file writes it (the window back in words). */
function explainable(rule: RuleSpec): Record<string, unknown> {
  const { threshold, matches, ...rest } = rule;
  const written = matches.length > 0 ? { ...rest, match: matches } : rest;
  if (threshold === undefined) return written;
  const { countBy, windowMs, ...more } = threshold;
  return { ...written, threshold: { 'count-by': countBy, ...more, window: formatDuration(windowMs) } };
}
