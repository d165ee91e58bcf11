import { describe, expect, it } from 'vitest';
import { graphOf } from '../../../src/identity';
import { ChainGraphBuilder } from '../../../src/output/graph/chain-graph';
import { sessionLines } from '../../../src/output/graph/labels';
import { layoutGraph } from '../../../src/output/graph/layout';
import { loadFixture } from '../../identity/support';

describe('layoutGraph', () => {
  it('puts creators left of what they create and never overlaps two boxes', () => {
    const events = ['assume-role-chain.ndjson', 'console-switch-role.ndjson', 'colliding-key.ndjson', 'cross-account-assume-role.ndjson'].flatMap(loadFixture);
    const identity = graphOf(events);
    const builder = new ChainGraphBuilder();
    for (const event of events) builder.add(event, identity.enrichment(event));
    const graph = builder.finish();
    const byKey = new Map(graph.sessions.map((s) => [s.key, s]));
    const layout = layoutGraph(graph, (key) => sessionLines(byKey.get(key)!));
    const boxes = [...layout.boxes.values()];
    expect(boxes).toHaveLength(graph.sessions.length);
    for (const hop of graph.hops) expect(layout.boxes.get(hop.from)!.x + layout.boxes.get(hop.from)!.width).toBeLessThan(layout.boxes.get(hop.to)!.x);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
      expect(boxes[i]!.x + boxes[i]!.width).toBeLessThanOrEqual(layout.width);
      expect(boxes[i]!.y + boxes[i]!.height).toBeLessThanOrEqual(layout.height);
    }
  });
});
