/**
 * An identity query whose predicate reads no graph, in one pass over its input (query/identity-passes.ts):
 * one scan, on every core, gathers the graph's facts from every record and filters with the plain query;
 * its matches wait, described by session references, until the graph is built after the scan. `--summary`'s
 * pieces are merged as they come (a row's worth per group) and wait in memory; `--enrich`'s matches wait in a spool file
 * (enrich-spool.ts), removed however the run ends. Stdin is read once, so it needs no copy.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentityGraphBuilder, type IdentityGraph, type SessionRef } from '../identity';
import { createSummary, type SummaryPartial } from '../output/summary';
import { summaryOptionsFrom } from '../query/summary-spec';
import type { GraphDescription } from '../query/identity-passes';
import { EnrichSpool } from './enrich-spool';
import type { IdentityScanOptions } from './identity-scan';
import { scanLocal, type LocalScanOptions, type ScannedMatches } from './local-scan';
import { SummaryRefResolver } from './summary-refs';

/** Where the enrichment spool's directory is made (tests point it elsewhere to see it removed). */
export const SPOOL_PREFIX = 'ctq-enrich-';

export async function scanInOnePass(options: IdentityScanOptions, description: GraphDescription): Promise<void> {
  if (description.kind === 'summary') await summaryInOnePass(options, description);
  else await enrichInOnePass(options);
}

/**
 * The pieces are merged as they come, their sessions still references: merged in input order they hold each
 * group's references in the order first met, as resolving each piece and merging them would (a reference
 * names one session; the sessions a group counts are its references' first occurrences, renamed). The
 * summary so held grows with groups and sessions, not with the input.
 */
async function summaryInOnePass(options: IdentityScanOptions, description: Extract<GraphDescription, { kind: 'summary' }>): Promise<void> {
  const pieces = createSummary({ ...summaryOptionsFrom(description.summary), piece: true });
  const refs = new Map<string, SessionRef>();
  let matched = false;
  const graph = await scanOnce(options, description, (matches) => {
    if (matches.summary === null || matches.sessionRefs === null) throw new Error('a one-pass --summary scan handed over matches not folded by reference');
    pieces.merge(matches.summary);
    for (const [id, ref] of matches.sessionRefs) if (!refs.has(id)) refs.set(id, ref);
    matched = true;
  });
  if (graph === null || !matched) return;
  const resolved = new SummaryRefResolver(graph).resolve(pieces.take(), refs);
  for (const warning of resolved.warnings) options.onWarning(warning);
  await options.write(described({ summary: resolved.summary }), graph);
}

async function enrichInOnePass(options: IdentityScanOptions): Promise<void> {
  const dir = await mkdtemp(join(options.spoolDir ?? tmpdir(), SPOOL_PREFIX));
  try {
    const spool = await EnrichSpool.create(join(dir, 'matches'));
    try {
      const graph = await scanOnce(options, { kind: 'enrich' }, (matches) => {
        if (matches.lineRefs === null || matches.sessionRefs === null) throw new Error('a one-pass --enrich scan handed over lines without their session references');
        return spool.add(matches.text, matches.lineRefs, matches.sessionRefs);
      });
      if (graph === null) return;
      for await (const bytes of spool.enriched(graph, options.onWarning)) {
        if (options.signal?.aborted) return;
        await options.write(described({ bytes }), graph);
      }
    } finally {
      await spool.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The one scan: matches handed to `keep`, facts into the graph, built when the scan ends (null if it was stopped). */
async function scanOnce(
  options: IdentityScanOptions,
  description: GraphDescription,
  keep: (matches: ScannedMatches) => Promise<void> | void,
): Promise<IdentityGraph | null> {
  const { signal } = options;
  const builder = new IdentityGraphBuilder();
  const scan: LocalScanOptions = {
    inputs: options.inputs,
    filter: { onePass: { query: options.query, description }, identityFacts: (facts) => builder.addFacts(facts) },
    workerUrl: options.workerUrl ?? null,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.parallelAfterMs !== undefined ? { parallelAfterMs: options.parallelAfterMs } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
    stats: options.stats,
    write: keep,
    onBad: options.onBad,
    onWarning: options.onWarning,
    ...(options.onDiscovery ? { onDiscovery: options.onDiscovery } : {}),
    ...(signal ? { signal } : {}),
  };
  await scanLocal(scan);
  if (signal?.aborted) return null;
  const graph = builder.finish();
  options.onGraph?.(graph);
  return graph;
}

function described(part: { readonly bytes?: Uint8Array; readonly summary?: SummaryPartial }): ScannedMatches {
  return { text: '', ...(part.bytes !== undefined ? { bytes: part.bytes } : {}), records: null, summary: part.summary ?? null, sessionRefs: null, lineRefs: null };
}
