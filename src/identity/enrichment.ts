/** The `_ctq` member: an event's session and the chain of sessions and hops that led to it. */
import type { GraphNode, SessionIndex } from './session-index';
import type { ChainLink, Enrichment, SessionKey } from './types';

/**
 * The path from the origin down to `node`, following the first candidate creator at each step;
 * `ambiguous` when this session or any above it has more than one possible creator.
 */
function pathOf(index: SessionIndex, node: GraphNode): { chain: ChainLink[]; ambiguous: boolean } {
  const chain: ChainLink[] = [];
  const seen = new Set<SessionKey>();
  let ambiguous = false;
  let current: GraphNode | undefined = node;
  while (current && !seen.has(current.key)) {
    seen.add(current.key);
    if (current.candidates.length > 1) ambiguous = true;
    const parentKey: SessionKey | undefined = current.candidates[0];
    // The hop named is one whose link leads to the chosen parent.
    const via = parentKey ? (current.links.find((entry) => entry.parents.includes(parentKey))?.via ?? null) : null;
    chain.unshift({ session: current.key, via });
    current = parentKey ? index.nodes.get(parentKey) : undefined;
  }
  return { chain, ambiguous };
}

export function enrichmentOf(index: SessionIndex, nodes: readonly GraphNode[]): Enrichment | null {
  const node = nodes[0];
  if (!node) return null;
  const { chain, ambiguous } = pathOf(index, node);
  if (!ambiguous && nodes.length === 1) return { session: node.key, chain, confidence: 'high' };
  const candidates = nodes.length > 1 ? nodes.map((entry) => entry.key) : node.candidates;
  return { session: node.key, chain, confidence: 'ambiguous', candidates: [...candidates].sort() };
}
