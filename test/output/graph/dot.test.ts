/** `--format dot` on the identity fixtures: the DOT is read back and checked node by node and edge by edge. */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { graphOf } from '../../../src/identity';
import type { JsonObject } from '../../../src/language/json';
import { ChainGraphBuilder, GRAPH_SESSION_LIMIT } from '../../../src/output/graph/chain-graph';
import { formatDot } from '../../../src/output/graph/dot';
import { loadFixture } from '../../identity/support';
import { runCtq } from '../../support/run-ctq';
import { parseDot, type DotGraph, type DotNode } from './dot-parse';

const HAS_DOT = spawnSync('dot', ['-V']).status === 0;

function dotOf(events: readonly JsonObject[], limit?: number): DotGraph {
  const graph = graphOf(events);
  const builder = new ChainGraphBuilder();
  for (const event of events) builder.add(event, graph.enrichment(event));
  return parseDot(formatDot(builder.finish(limit)));
}

function nodeNamed(graph: DotGraph, firstLine: string): DotNode {
  const found = graph.nodes.filter((node) => node.attrs['label']!.split('\n')[0] === firstLine);
  expect(found, firstLine).toHaveLength(1);
  return found[0]!;
}

function edge(graph: DotGraph, from: string, to: string) {
  const found = graph.edges.filter((e) => e.from === nodeNamed(graph, from).id && e.to === nodeNamed(graph, to).id);
  expect(found, `${from} -> ${to}`).toHaveLength(1);
  return found[0]!;
}

describe('formatDot on the identity fixtures', () => {
  it('writes the same DOT whatever order the events come in (LookupEvents answers regions in any order)', () => {
    const events = loadFixture('assume-role-chain.ndjson');
    const graph = graphOf(events);
    const dotIn = (order: readonly JsonObject[]) => {
      const builder = new ChainGraphBuilder();
      for (const event of order) builder.add(event, graph.enrichment(event));
      return formatDot(builder.finish());
    };
    const forward = dotIn(events);
    expect(dotIn([...events].reverse())).toBe(forward);
    // Interleaved, as two regions' pages might arrive.
    expect(dotIn([...events.filter((_, i) => i % 2 === 1), ...events.filter((_, i) => i % 2 === 0)])).toBe(forward);
    // Numbered by first appearance in time: the earliest session is s1.
    expect(forward).toContain('s1 [label="user/alice\\n');
  });

  it('draws a node per session with who, key, creation, IPs, count and span, and a hop per AssumeRole', () => {
    const graph = dotOf(loadFixture('assume-role-chain.ndjson'));
    expect(graph.nodes.map((n) => n.attrs['label']!.split('\n')[0]).sort()).toEqual([
      'assumed-role/Admin/alice',
      'assumed-role/Audit/alice-audit',
      'assumed-role/Deploy/deploy',
      'user/alice',
      'user/bob',
    ]);
    expect(nodeNamed(graph, 'assumed-role/Deploy/deploy').attrs['label']!.split('\n')).toEqual([
      'assumed-role/Deploy/deploy',
      'assumed-role · account 111122223333',
      'key ASIADEPLOYSESSION001 · created 2019-10-02T10:05:00Z',
      'from 198.51.100.23',
      '3 events · 2019-10-02T10:06:00Z – 10:08:00Z',
      'confidence: high',
    ]);
    expect(nodeNamed(graph, 'assumed-role/Deploy/deploy').attrs['tooltip']).toBe(
      'assumed-role:arn:aws:sts::111122223333:assumed-role/Deploy/deploy@2019-10-02T10:05:00Z#ASIADEPLOYSESSION001',
    );
    expect(graph.edges).toHaveLength(3);
    expect(edge(graph, 'user/alice', 'assumed-role/Admin/alice').attrs['label']).toBe('AssumeRole\n2019-10-02T10:01:00Z');
    expect(edge(graph, 'assumed-role/Admin/alice', 'assumed-role/Deploy/deploy').attrs['label']).toBe('AssumeRole\n2019-10-02T10:05:00Z');
    expect(edge(graph, 'user/alice', 'assumed-role/Audit/alice-audit').attrs['tooltip']).toBe('eventID 00000001-0000-4000-8000-000000000008');
    expect(graph.graphAttrs['label']).toContain('5 session node(s), 3 hop link(s), 11 event(s)');
  });

  it('marks a cross-account hop and names both accounts', () => {
    const graph = dotOf(loadFixture('cross-account-assume-role.ndjson'));
    const hop = edge(graph, 'user/erin', 'assumed-role/EC2-dev/erin-EC2-dev');
    expect(hop.attrs['label']).toBe('AssumeRole\n2024-07-18T15:07:39Z\ncross-account 777788889999 → 111122223333');
    expect(hop.attrs['color']).toBe('#c0392b');
    expect(hop.attrs['penwidth']).toBe('2.5');
  });

  it('draws every possible creator of an ambiguous session dashed, and the session as ambiguous', () => {
    const graph = dotOf(loadFixture('colliding-key.ndjson'));
    const worker = nodeNamed(graph, 'assumed-role/Shared/worker');
    expect(worker.attrs['style']).toContain('dashed');
    expect(worker.attrs['label']).toContain('confidence: ambiguous');
    for (const user of ['user/heidi', 'user/ivan']) {
      const hop = edge(graph, user, 'assumed-role/Shared/worker');
      expect(hop.attrs['style']).toBe('dashed');
      expect(hop.attrs['label']).toMatch(/^AssumeRole\n2024-06-01T12:00:00Z\nambiguous$/);
    }
    expect(nodeNamed(graph, 'user/heidi').attrs['style']).not.toContain('dashed');
  });

  it('collapses the sessions of one principal past the limit and says so', () => {
    const events: JsonObject[] = [];
    for (let i = 0; i < GRAPH_SESSION_LIMIT + 10; i++) {
      const created = new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString().replace('.000', '');
      events.push({
        eventVersion: '1.08',
        eventTime: created,
        eventSource: 's3.amazonaws.com',
        eventName: 'ListBuckets',
        eventID: `e${i}`,
        sourceIPAddress: `203.0.113.${i % 3}`,
        userIdentity: {
          type: 'AssumedRole',
          arn: `arn:aws:sts::111122223333:assumed-role/Worker/${i % 2 === 0 ? 'even' : 'odd'}`,
          accountId: '111122223333',
          accessKeyId: `ASIAWORKER${String(i).padStart(10, '0')}`,
          sessionContext: { attributes: { creationDate: created } },
        },
      });
    }
    const graph = dotOf(events);
    expect(graph.nodes).toHaveLength(2);
    expect(nodeNamed(graph, 'assumed-role/Worker/even').attrs['label']).toContain('35 sessions (collapsed)');
    expect(nodeNamed(graph, 'assumed-role/Worker/even').attrs['label']).toContain('35 events');
    expect(graph.graphAttrs['label']).toContain(`${GRAPH_SESSION_LIMIT + 10} sessions drawn as 2 boxes, one per principal, to stay readable`);
    expect(dotOf(events, 1000).nodes).toHaveLength(GRAPH_SESSION_LIMIT + 10);
  });

  it('collapses further, one box per role, when the principals alone are still too many', () => {
    const events: JsonObject[] = [];
    for (let i = 0; i < GRAPH_SESSION_LIMIT + 10; i++) {
      const created = new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString().replace('.000', '');
      events.push({
        eventTime: created,
        eventSource: 'ec2.amazonaws.com',
        eventName: 'DescribeInstances',
        eventID: `e${i}`,
        userIdentity: {
          type: 'AssumedRole',
          // Instance-profile sessions are named after the instance: a principal each.
          arn: `arn:aws:sts::111122223333:assumed-role/InstanceRole/i-${String(i).padStart(17, '0')}`,
          accountId: '111122223333',
          accessKeyId: `ASIAINSTANCE${String(i).padStart(8, '0')}`,
          sessionContext: { attributes: { creationDate: created } },
        },
      });
    }
    const graph = dotOf(events);
    expect(graph.nodes).toHaveLength(1);
    expect(nodeNamed(graph, 'assumed-role/InstanceRole').attrs['label']).toContain(`${GRAPH_SESSION_LIMIT + 10} sessions (collapsed)`);
    expect(graph.graphAttrs['label']).toContain('one per principal or role');
  });

  it('keeps hostile values inside their quoted labels, visible and harmless', () => {
    const hostile: JsonObject = {
      eventVersion: '1.08',
      eventTime: '2024-01-01T00:00:00Z',
      eventSource: 's3.amazonaws.com',
      eventName: 'ListBuckets',
      eventID: 'x"];\n evil -> pwned [label="',
      sourceIPAddress: '"] ; x -> y; \\N \u202egnp.exe \u001b[2J',
      userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/a"b\\c', accountId: '111122223333', accessKeyId: 'AKIAHOSTILE000000001' },
    };
    const text = formatDot(((): ReturnType<ChainGraphBuilder['finish']> => {
      const graph = graphOf([hostile]);
      const builder = new ChainGraphBuilder();
      builder.add(hostile, graph.enrichment(hostile));
      return builder.finish();
    })());
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202a-\u202e]/);
    const parsed = parseDot(text);
    expect(parsed.nodes).toHaveLength(1);
    expect(parsed.edges).toHaveLength(0);
    const label = parsed.nodes[0]!.attrs['label']!;
    expect(label.split('\n')[0]).toBe('user/a"b\\\\c');
    expect(label).toContain('from "] ; x -> y; \\\\N \\u202egnp.exe \\x1b[2J');
    if (HAS_DOT) {
      const json = JSON.parse(execFileSync('dot', ['-Tjson'], { input: text, encoding: 'utf8' })) as { objects?: unknown[]; edges?: unknown[] };
      expect(json.objects).toHaveLength(1);
      expect(json.edges ?? []).toHaveLength(0);
    }
  });
});

describe('ctq --format dot', () => {
  it.skipIf(!HAS_DOT)(`renders with Graphviz: ctq … --format dot | dot -Tsvg${HAS_DOT ? '' : ' (skipped: no dot; apt-get install graphviz)'}`, async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/identity/assume-role-chain.ndjson', '--match', 'chainOf("ASIADEPLOYSESSION001")', '--format', 'dot']);
    expect(result.code).toBe(0);
    const graph = parseDot(result.stdout);
    // The leaf's records and the two hops that explain it: alice, Admin and Deploy, linked in a line.
    expect(graph.nodes.map((n) => n.attrs['label']!.split('\n')[0]).sort()).toEqual(['assumed-role/Admin/alice', 'assumed-role/Deploy/deploy', 'user/alice']);
    expect(graph.edges).toHaveLength(2);
    const svg = execFileSync('dot', ['-Tsvg'], { input: result.stdout, encoding: 'utf8' });
    expect(svg).toContain('<svg');
    expect((svg.match(/class="node"/g) ?? []).length).toBe(3);
    expect((svg.match(/class="edge"/g) ?? []).length).toBe(2);
  });
});
