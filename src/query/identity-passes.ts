/**
 * Whether an identity query over a local scan reads its input once or twice. The graph is built from
 * every event; when the query's predicate asks it something (`session()`, `chainOf()`), every event must
 * be in it before the first is tested, so a first pass builds it and a second filters. When the graph
 * only describes the matches (`--summary`'s session counts, `--enrich`'s `_ctq`), one pass both gathers
 * it and filters, and the matches are described once it is built: from session references, which a
 * match carries without the graph (identity/session-ref.ts).
 */
import type { SummarySpec } from './summary-spec';

/**
 * What a one-pass identity query describes with the graph after the scan: the pieces of `--summary`
 * (folded during the scan, their sessions as references), or each match's `_ctq` under `--enrich`
 * (the matches spooled to a file in input order, enriched and written after the scan).
 */
export type GraphDescription = { readonly kind: 'summary'; readonly summary: SummarySpec } | { readonly kind: 'enrich' };

export interface OnePassFacts {
  /**
   * `--strict`: the run stops at the first bad record. Two passes have by then written the matches before
   * it, described with the whole input's graph; one pass has built only part of the graph, so it writes none.
   */
  readonly strict: boolean;
  /** Some expression of the query or of a rule calls `session()` or `chainOf()`. */
  readonly predicateReadsGraph: boolean;
  /** `--summary` is the only stage after the scan and folds without the graph (`OutputPlan.scanSummaryWithoutGraph`). */
  readonly summaryByReference: SummarySpec | null;
  /**
   * `--enrich` written as NDJSON and nothing else after the scan (no --summary, --state, --follow, threshold,
   * report, rules or other format): the one sink that reads the lines' text and nothing of their events.
   */
  readonly enrichedNdjsonOnly: boolean;
}

/** The description a one-pass identity query makes, or null when it takes two passes. */
export function graphDescriptionOf(facts: OnePassFacts): GraphDescription | null {
  if (facts.predicateReadsGraph || facts.strict) return null;
  if (facts.summaryByReference !== null) return Object.freeze({ kind: 'summary', summary: facts.summaryByReference });
  if (facts.enrichedNdjsonOnly) return Object.freeze({ kind: 'enrich' });
  return null;
}
