/**
 * The second half of every identity query, whatever the source: the query compiled against a built
 * identity graph, each matching event turned into its output line (with `_ctq` under --enrich), and
 * ambiguity warnings printed once each, only when an emitted event belongs to the ambiguous session.
 */
import { identityFunctions, type IdentityGraph } from '../identity';
import type { JsonObject } from '../language/json';
import { chainOfArguments } from './expression-calls';
import { compileQuery, type CompiledQuery, type QuerySpec } from './query';

export class IdentityFilter {
  private readonly query: CompiledQuery;
  private readonly pendingWarnings: string[];

  constructor(
    private readonly graph: IdentityGraph,
    spec: QuerySpec,
    private readonly enrich: boolean,
    private readonly onWarning: (message: string) => void,
  ) {
    const compiled = compileQuery(spec, identityFunctions(graph));
    if (!compiled.ok) throw new Error(`query failed to compile after it was checked: ${compiled.message}`);
    this.query = compiled.query;
    this.pendingWarnings = [...graph.warnings()];
  }

  /** The event's output line (with its newline) if it matches, else null. */
  lineFor(event: JsonObject, text: string | null): string | null {
    if (!this.query.test(event)) return null;
    if (this.pendingWarnings.length > 0) this.warnIfAmbiguous(event);
    return this.query.lineOf(event, text, this.enrich ? (this.graph.enrichment(event) as JsonObject | null) : undefined) + '\n';
  }

  private warnIfAmbiguous(event: JsonObject): void {
    const enrichment = this.graph.enrichment(event);
    if (enrichment?.confidence !== 'ambiguous') return;
    for (let i = this.pendingWarnings.length - 1; i >= 0; i--) {
      if (!this.pendingWarnings[i]!.includes(enrichment.session)) continue;
      this.onWarning(this.pendingWarnings[i]!);
      this.pendingWarnings.splice(i, 1);
    }
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
