/**
 * The second half of every identity query, whatever the source: the query compiled against a built
 * identity graph, each matching event turned into its output (with `_ctq` under --enrich), and
 * ambiguity warnings printed once each, only when an emitted event belongs to the ambiguous session.
 */
import { identityFunctions, type Enrichment, type IdentityGraph } from '../identity';
import type { JsonObject } from '../language/json';
import type { LiteralNeedles, RecordPrefilter } from '../language/prefilter';
import type { MatchRecord } from '../output/match-record';
import type { CrawledEvent } from './chain-crawl';
import { chainOfArguments } from './expression-calls';
import { assembleQuery, checkedOf, type CheckedQuery, type CompiledQuery } from './checked-query';
import type { RunStats } from './stats';

/**
 * A graph's ambiguity warnings, each said once, and only when a written event belongs to an ambiguous
 * session that the warning names.
 */
export class AmbiguityWarnings {
  private readonly pending: string[];

  constructor(
    graph: IdentityGraph,
    private readonly onWarning: (message: string) => void,
  ) {
    this.pending = [...graph.warnings()];
  }

  /** Nothing left to say: callers skip working out enrichments. */
  get done(): boolean {
    return this.pending.length === 0;
  }

  /** An event with this enrichment is written. */
  written(enrichment: Enrichment): void {
    if (enrichment.confidence !== 'ambiguous') return;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (!this.pending[i]!.includes(enrichment.session)) continue;
      this.onWarning(this.pending[i]!);
      this.pending.splice(i, 1);
    }
  }
}

export class IdentityFilter {
  private readonly query: CompiledQuery;
  private readonly ambiguity: AmbiguityWarnings;

  constructor(
    private readonly graph: IdentityGraph,
    query: CheckedQuery,
    private readonly enrich: boolean,
    onWarning: (message: string) => void,
  ) {
    const compiled = assembleQuery(query, identityFunctions(graph));
    if (!compiled.ok) throw new Error(`query failed to compile after it was checked: ${compiled.message}`);
    this.query = compiled.query;
    this.ambiguity = new AmbiguityWarnings(graph, onWarning);
  }

  /** Literals one of which a record's raw text must hold to match (identity functions require none). */
  get literal(): LiteralNeedles | null {
    return this.query.literal;
  }

  /** The query's record gates (query/record-gates.ts): what its comparisons and actions rule out on the raw bytes. */
  get gate(): RecordPrefilter | null {
    return this.query.gate;
  }

  /** The event's output line (with its newline) if it matches, else null. */
  lineFor(event: JsonObject, text: string | null): string | null {
    return this.accepts(event) ? this.query.lineOf(event, text, this.extraOf(event)) + '\n' : null;
  }

  /** The event's output as a record holding the event it says, if it matches, else null. */
  recordFor(event: JsonObject, text: string | null): MatchRecord | null {
    return this.accepts(event) ? this.query.recordOf(event, text, this.extraOf(event)) : null;
  }

  private accepts(event: JsonObject): boolean {
    if (!this.query.test(event)) return false;
    if (!this.ambiguity.done) this.ambiguity.written(this.graph.enrichment(event));
    return true;
  }

  private extraOf(event: JsonObject): JsonObject | undefined {
    return this.enrich ? (this.graph.enrichment(event) as unknown as JsonObject) : undefined;
  }
}

/** A well-formed chainOf() argument that names nothing in the input is most likely a typo or the wrong input. */
export function unusedChainWarnings(query: CompiledQuery, graph: IdentityGraph): string[] {
  return chainOfArguments(query.expressions)
    .filter(({ value }) => {
      const result = graph.chainMatcher(value);
      return result.ok && result.targets.length === 0;
    })
    .map(({ value }) => `chainOf("${value}"): no session in the input has it`);
}

/** What a scan (LookupEvents, Athena) gives the held-events filter: its own options fit. */
export interface HeldEventsFilter {
  readonly query: CompiledQuery;
  readonly identity: { readonly enrich: boolean };
  readonly stats: RunStats;
  readonly signal: AbortSignal;
  onWarning(message: string): void;
  /** A match, with the graph it was filtered against. */
  write(record: MatchRecord, graph: IdentityGraph | null): Promise<void> | void;
}

/** Events held for an identity query (a crawl, or a window), filtered against their graph and written. */
export async function writeHeldMatches(
  events: readonly CrawledEvent[],
  graph: IdentityGraph,
  options: HeldEventsFilter,
  onMatched?: (event: JsonObject) => void,
): Promise<void> {
  const { stats } = options;
  for (const warning of unusedChainWarnings(options.query, graph)) options.onWarning(warning);
  const filter = new IdentityFilter(graph, checkedOf(options.query), options.identity.enrich, options.onWarning);
  for (const { event, text } of events) {
    if (options.signal.aborted) break;
    stats.eventsScanned++;
    const record = filter.recordFor(event, text);
    if (record === null) continue;
    stats.matched++;
    onMatched?.(event);
    await options.write(record, graph);
  }
}
