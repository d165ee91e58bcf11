/**
 * The two-pass scan for queries that ask about identity (`session()`, `chainOf()`, `--enrich`,
 * `--summary`'s session counts). Pass one builds the identity graph — sessions and hops only, never
 * the events — so the answer does not depend on the order events arrive in; pass two filters.
 * Stdin cannot be read twice, so it is spooled to a temporary file during pass one.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { renderExpressionError } from '../language';
import { TERMINAL } from '../output/terminal-safe';
import { IdentityGraphBuilder, graphOf, type IdentityGraph } from '../identity';
import { readLocalEvents, STDIN, type Discovery, type ReadPlanner } from '../sources/local';
import type { Origin } from '../sources/source-item';
import { chainOfArguments } from './expression-calls';
import { IdentityFilter } from './identity-filter';
import type { CompiledQuery, QuerySpec } from './query';
import type { RunStats } from './stats';

/** Rejects a `chainOf` argument no graph could ever read, with a caret, before any event is read (rendered terminal-safe). */
export function checkChainArguments(query: CompiledQuery): string | null {
  const empty = graphOf([]);
  for (const arg of chainOfArguments(query.expressions)) {
    const result = empty.chainMatcher(arg.value);
    if (result.ok) continue;
    const label = query.spec.labels?.[arg.expression] ?? (query.spec.matches.length > 1 ? `--match #${arg.expression + 1}` : '--match');
    return renderExpressionError(query.spec.matches[arg.expression]!, { message: result.message, span: arg.span }, label, TERMINAL);
  }
  return null;
}

export interface IdentityScanOptions {
  readonly inputs: readonly string[];
  readonly spec: QuerySpec;
  readonly enrich: boolean;
  readonly stdin?: Readable;
  readonly stats: RunStats;
  write(text: string): Promise<void> | void;
  onBad(origin: Origin, message: string): void;
  onDiscovery?(discovery: Discovery): void;
  onWarning(message: string): void;
  /** For incremental runs: what pass two reads of each file (pass one always reads everything: chains reach back). */
  readonly planner?: ReadPlanner;
  /** Told when the graph is ready (e.g. for --summary's session counts). */
  onGraph?(graph: IdentityGraph): void;
  readonly signal?: AbortSignal;
}

export async function scanLocalWithIdentity(options: IdentityScanOptions): Promise<void> {
  const spool = options.inputs.includes(STDIN) ? await mkdtemp(join(tmpdir(), 'ctq-stdin-')) : null;
  try {
    const inputs = spool === null ? options.inputs : await spoolStdin(options.inputs, spool, options.stdin ?? process.stdin);
    const builder = new IdentityGraphBuilder();
    for await (const item of readLocalEvents(inputs)) {
      if (options.signal?.aborted) return;
      if (item.kind === 'event') builder.add(item.event);
    }
    const graph = builder.finish();
    options.onGraph?.(graph);
    const filter = new IdentityFilter(graph, options.spec, options.enrich, options.onWarning);
    let batch = '';
    const flush = async () => {
      if (batch.length > 0) await options.write(batch);
      batch = '';
    };
    const displayName = (source: string) => (spool !== null && source.startsWith(spool) ? STDIN : source);
    const onDiscovery = (discovery: Discovery) => {
      if (discovery.kind === 'file') options.stats.files++;
      options.onDiscovery?.(discovery);
    };
    for await (const item of readLocalEvents(inputs, { onDiscovery, ...(options.planner ? { planner: options.planner } : {}) })) {
      if (options.signal?.aborted) break;
      if (item.kind === 'bad') {
        options.stats.badRecords++;
        options.onBad({ ...item.origin, source: displayName(item.origin.source) }, item.message);
        continue;
      }
      options.stats.eventsScanned++;
      const line = filter.lineFor(item.event, item.text);
      if (line === null) continue;
      options.stats.matched++;
      batch += line;
      if (batch.length > 1 << 16) await flush();
    }
    await flush();
  } finally {
    if (spool !== null) await rm(spool, { recursive: true, force: true });
  }
}

async function spoolStdin(inputs: readonly string[], dir: string, stdin: Readable): Promise<string[]> {
  const file = join(dir, 'stdin');
  await pipeline(stdin, createWriteStream(file));
  return inputs.map((input) => (input === STDIN ? file : input));
}
