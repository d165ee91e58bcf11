/**
 * Pieces of `--summary` folded without the graph (their sessions as references: identity/session-ref.ts),
 * resolved against it, in input order. The ambiguity warnings a piece's sessions raise are said as the
 * identity filter would have said them for the piece's matches: once each, in the order first met.
 */
import type { IdentityGraph, SessionRef } from '../identity';
import { withSessions, type SummaryPartial } from '../output/summary';
import { AmbiguityWarnings } from '../query/identity-filter';

export class SummaryRefResolver {
  private said: string[] = [];
  private readonly ambiguity: AmbiguityWarnings;

  constructor(private readonly graph: IdentityGraph) {
    this.ambiguity = new AmbiguityWarnings(graph, (warning) => this.said.push(warning));
  }

  /** The piece with its sessions resolved, and the warnings that raised. */
  resolve(piece: SummaryPartial, refs: ReadonlyMap<string, SessionRef>): { readonly summary: SummaryPartial; readonly warnings: readonly string[] } {
    const keys = new Map<string, string>();
    for (const [id, ref] of refs) {
      keys.set(id, this.graph.sessionOfRef(ref));
      if (!this.ambiguity.done) this.ambiguity.written(this.graph.enrichmentOfRef(ref));
    }
    const warnings = this.said;
    this.said = [];
    return { summary: withSessions(piece, (id) => keys.get(id) ?? null), warnings };
  }
}
