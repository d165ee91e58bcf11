/**
 * `planRun`: one frozen plan per run, with every decision made before any event is read; the identity
 * graph reaches the output as a value carried by each batch of matches, never patched into the plan.
 */
import { describe, expect, it } from 'vitest';
import { graphOf, sessionKeyOf } from '../../src/identity';
import { Matches } from '../../src/output/match-record';
import { NdjsonSink } from '../../src/output/ndjson-sink';
import { createSink } from '../../src/output/sinks';
import { planRun, UsageProblem, type RunPlan } from '../../src/query/plan-run';
import type { RunOptions } from '../../src/query/run-options';
import { loadFixture } from '../identity/support';
import { PassThrough } from 'node:stream';

const NOW = Date.parse('2026-12-01T00:00:00Z');

function options(overrides: Partial<RunOptions> = {}): RunOptions {
  return { actions: ['*:*'], matches: [], matchFiles: [], inputs: ['events.ndjson'], strict: false, stats: false, explain: false, enrich: false, summary: false, format: 'ndjson', follow: false, ...overrides };
}

function plan(overrides: Partial<RunOptions> = {}): RunPlan {
  const planned = planRun(options(overrides), NOW);
  if (planned instanceof UsageProblem) throw new Error(planned.message);
  return planned;
}

describe('planRun', () => {
  it('says what the --state fingerprint covers: the planned query and source, not the flags', () => {
    expect(plan().state).toBeNull();
    expect(plan({ state: 'run.state' }).state).toEqual({
      file: 'run.state',
      query: { actions: ['*:*'], matches: [], source: 'local' },
      overlapMs: 30 * 60_000,
      follow: null,
    });
    expect(plan({ inputs: [], follow: true, regions: 'eu-west-1,us-east-1', overlapMinutes: 5, intervalSeconds: 2 }).state).toEqual({
      file: null,
      query: { actions: ['*:*'], matches: [], source: 'api', regions: ['eu-west-1', 'us-east-1'] },
      overlapMs: 5 * 60_000,
      follow: { intervalMs: 2000 },
    });
    expect(plan({ inputs: [], state: 's', region: 'eu-west-2' }).state?.query.regions).toEqual(['eu-west-2']);
  });

  it('lets the scan fold --summary only when it is the only stage after the scan, and without the graph only when nothing else reads it', () => {
    const folding = (overrides: Partial<RunOptions>) => {
      const { scanSummary, scanSummaryWithoutGraph } = plan({ summary: true, ...overrides }).output;
      return scanSummary === null ? 'not folded' : scanSummaryWithoutGraph ? 'without graph' : 'with graph';
    };
    expect(folding({})).toBe('without graph');
    expect(folding({ groupBy: '$.recipientAccountId,$.userIdentity.type' })).toBe('without graph');
    expect(folding({ groupBy: '$.awsRegion,session()' })).toBe('with graph');
    expect(folding({ matches: ['session() regex "admin"'] })).toBe('with graph');
    expect(folding({ matches: ['chainOf("AKIAIOSFODNN7EXAMPLE")'] })).toBe('with graph');
    expect(folding({ enrich: true })).toBe('with graph');
    expect(folding({ state: 'run.state' })).toBe('not folded');
    expect(plan().output.scanSummary).toBeNull();
  });

  it('reads the input once when the graph only describes the matches, twice when the predicate asks it', () => {
    const passes = (overrides: Partial<RunOptions>) => {
      const planned = plan(overrides);
      return planned.identity === 'none' ? 'no graph' : planned.onePass === null ? 'two passes' : `one pass, ${planned.onePass.kind}`;
    };
    expect(passes({})).toBe('no graph');
    expect(passes({ summary: true })).toBe('one pass, summary');
    expect(passes({ summary: true, matches: ['$.readOnly == false'] })).toBe('one pass, summary');
    expect(passes({ enrich: true })).toBe('one pass, enrich');
    expect(passes({ enrich: true, matches: ['$.errorCode == "AccessDenied"'] })).toBe('one pass, enrich');
    expect(passes({ summary: true, groupBy: '$.awsRegion,session()' })).toBe('two passes');
    expect(passes({ enrich: true, matches: ['session() regex "admin"'] })).toBe('two passes');
    expect(passes({ enrich: true, matches: ['chainOf("AKIAIOSFODNN7EXAMPLE")'] })).toBe('two passes');
    expect(passes({ summary: true, enrich: true })).toBe('two passes');
    // --enrich in one pass only into NDJSON with nothing else reading the matches.
    expect(passes({ enrich: true, format: 'table' })).toBe('two passes');
    expect(passes({ enrich: true, format: 'json' })).toBe('two passes');
    expect(passes({ enrich: true, state: 'run.state' })).toBe('two passes');
    expect(passes({ enrich: true, strict: true })).toBe('two passes');
    expect(passes({ summary: true, strict: true })).toBe('two passes');
    expect(passes({ format: 'dot' })).toBe('two passes');
    expect(passes({ enrich: true, inputs: [] })).toBe('two passes');
  });

  it('returns a frozen plan: nothing later can patch it', () => {
    const planned = plan({ summary: true, groupBy: 'session()' });
    expect(Object.isFrozen(planned)).toBe(true);
    expect(Object.isFrozen(planned.source)).toBe(true);
    expect(Object.isFrozen(planned.output)).toBe(true);
    expect(Object.isFrozen(planned.output.summary)).toBe(true);
    expect(() => {
      (planned as { identity: string }).identity = 'none';
    }).toThrow(TypeError);
  });

  it('says what identity the run needs: none, the graph of every event, or the chain crawl', () => {
    expect(plan().identity).toBe('none');
    expect(plan({ matches: ['session() != null'] }).identity).toBe('session');
    expect(plan({ enrich: true }).identity).toBe('session');
    expect(plan({ summary: true }).identity).toBe('session');
    expect(plan({ format: 'dot' }).identity).toBe('session');
    expect(plan({ matches: ['chainOf("arn:aws:iam::111122223333:user/alice")'] }).identity).toBe('chain');
  });

  it('chooses the source: local files, s3:// prefixes, LookupEvents or Athena', () => {
    expect(plan().source).toEqual({ kind: 'local', inputs: ['events.ndjson'], workers: null, readsStdin: false });
    expect(plan({ inputs: ['s3://bucket/AWSLogs/', 'local.json'], regions: 'eu-west-1' }).source).toEqual({
      kind: 's3',
      inputs: ['s3://bucket/AWSLogs/', 'local.json'],
      workers: null,
      readsStdin: false,
      regions: ['eu-west-1'],
      accounts: null,
      connection: {},
      explain: false,
    });
    expect(plan({ inputs: [], regions: 'all' }).source).toEqual({ kind: 'lookup-events', regions: 'all', connection: {}, rate: null, explain: false });
    const athena = plan({ inputs: [], engine: 'athena', athenaTable: 'cloudtrail.org_trail' }).source;
    expect(athena.kind === 'athena' && athena.athena.table).toBe('cloudtrail.org_trail');
  });

  it('gives each source only the flags that apply to it (the round section)', () => {
    const connection = { region: 'eu-west-2', profile: 'ir', endpointUrl: 'http://127.0.0.1:4566' };
    expect(plan({ inputs: ['-', 'logs/'], workers: 3, strict: true }).source).toEqual({ kind: 'local', inputs: ['-', 'logs/'], workers: 3, readsStdin: true });
    expect(plan({ inputs: ['s3://bucket/'], accounts: ['111122223333'], workers: 2, explain: true, ...connection }).source).toEqual({
      kind: 's3',
      inputs: ['s3://bucket/'],
      workers: 2,
      readsStdin: false,
      regions: undefined,
      accounts: ['111122223333'],
      connection,
      explain: true,
    });
    // --workers means nothing to LookupEvents: it is not carried, as it was never acted on.
    expect(plan({ inputs: [], workers: 4, rate: 0.5, explain: true, ...connection }).source).toEqual({
      kind: 'lookup-events',
      regions: undefined,
      connection,
      rate: 0.5,
      explain: true,
    });
    const athena = plan({ inputs: [], engine: 'athena', athenaTable: 'db.t', region: 'eu-west-1' }).source;
    expect(athena.kind === 'athena' && athena.connection).toEqual({ region: 'eu-west-1' });
    expect(Object.isFrozen(plan({ inputs: [], profile: 'p' }).source)).toBe(true);
  });

  it('plans --follow only with the state that remembers what was read, and the run-wide flags', () => {
    expect(plan({ follow: true }).state?.follow).toEqual({ intervalMs: 60_000 });
    expect(plan({ state: 's' }).state?.follow).toBeNull();
    expect(plan({ strict: true, stats: true, enrich: true })).toMatchObject({ strict: true, stats: true, enrich: true });
    expect(plan()).toMatchObject({ strict: false, stats: false, enrich: false });
  });

  it('says whether a stage after the read uses the matched events, not only their text', () => {
    expect(plan().readsEvents).toBe(false);
    expect(plan({ format: 'json' }).readsEvents).toBe(false);
    expect(plan({ format: 'table' }).readsEvents).toBe(true);
    expect(plan({ summary: true }).readsEvents).toBe(true);
    expect(plan({ state: 'run.state' }).readsEvents).toBe(true);
    expect(plan({ follow: true }).readsEvents).toBe(true);
    const threshold = { countBy: ['session()'], threshold: 3, windowMs: 60_000, windowText: '1m' };
    const counted = planRun(options(), NOW, { rules: [], threshold });
    if (counted instanceof UsageProblem) throw new Error(counted.message);
    expect(counted.detection.counts).toBe(true);
    expect(counted.readsEvents).toBe(true);
    expect(plan().detection).toEqual({ rules: [], threshold: null, counts: false });
  });

  it('finds every usage problem before anything is read', () => {
    const problem = (overrides: Partial<RunOptions>) => {
      const planned = planRun(options(overrides), NOW);
      return planned instanceof UsageProblem ? planned.message : null;
    };
    expect(problem({ groupBy: 'session()' })).toBe('--group-by needs --summary');
    expect(problem({ summary: true, groupBy: '$.[' })).toMatch(/--group-by/);
    expect(problem({ inputs: [], regions: 'mars-1' })).toMatch(/--regions: 'mars-1' is not a region name/);
    expect(problem({ inputs: [], engine: 'athena' })).toMatch(/--athena-table/);
    expect(problem({ actions: [] })).toMatch(/IAM_ACTION/);
  });

  it('--summary --group-by session() reads the graph each batch of matches carries, not state filled in later', async () => {
    const events = loadFixture('assume-role-chain.ndjson');
    const graph = graphOf(events);
    // Events whose session the graph knows better than the event alone (an access key seen elsewhere).
    const differ = events.filter((event) => graph.sessionOf(event) !== sessionKeyOf(event));
    expect(differ.length).toBeGreaterThan(0);
    const summaryOf = async (withGraph: boolean): Promise<string[]> => {
      const stream = new PassThrough();
      let text = '';
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const sink = createSink(new NdjsonSink(stream), { format: 'ndjson', width: 160, summary: plan({ summary: true, groupBy: 'session()' }).output.summary, onNote: () => {} });
      await sink.write(Matches.ofText(differ.map((event) => JSON.stringify(event) + '\n').join(''), withGraph ? graph : null));
      await sink.finish();
      return text.trimEnd().split('\n').map((line) => (JSON.parse(line) as Record<string, string>)['session()']!);
    };
    expect(new Set(await summaryOf(true))).toEqual(new Set(differ.map((event) => graph.sessionOf(event))));
    expect(new Set(await summaryOf(false))).toEqual(new Set(differ.map((event) => sessionKeyOf(event))));
  });
});
