/**
 * A read through Amazon Athena: the query compiled to a superset SELECT of `"$path"` and `eventid`
 * (src/athena-sql), run on the trail table (src/sources/athena), then every object it names read
 * and every record checked by ctq itself. An event is written when Athena returned its eventID for
 * that object AND the full query accepts it: Athena narrows, ctq decides.
 *
 * `chainOf()` runs as rounds over the same tables (the identity crawl of chain-crawl.ts, with Athena
 * as its fetch): hops by `eventname IN (…)`, then the sessions the graph learned by
 * `useridentity.accesskeyid IN (…)`, until no new session appears. `session()` and `--enrich` are
 * evaluated in ctq over what was fetched.
 *
 * Memory: the (object, eventID) pairs Athena returns are held to group them by object; identity
 * queries hold the events they fetched, as the LookupEvents path does.
 */
import {
  chainStatements,
  compileQueryStatement,
  estimatePartitions,
  sqlTableName,
  type ChainAttributeKey,
  type PartitionEstimate,
  type StatementInput,
} from '../athena-sql';
import { graphOf, type IdentityGraph } from '../identity';
import type { MatchRecord } from '../output/match-record';
import type { ObjectRead, QueryRun, TrailObjectReader } from '../sources/athena';
import type { Origin, SourceItem } from '../sources/source-item';
import { crawlChains, HOP_EVENT_NAMES, type CrawledEvent } from './chain-crawl';
import { chainOfArguments } from './expression-calls';
import { writeHeldMatches } from './identity-filter';
import type { LookupAttribute } from './plan';
import type { CompiledQuery } from './query';
import type { RunStats } from './stats';

/** What the scan needs of Athena: run one statement. Injected so tests and the CLI choose the client. */
export type RunStatement = (sql: string) => Promise<QueryRun>;

export interface AthenaServices {
  readonly runStatement: RunStatement;
  readonly objects: TrailObjectReader;
}

export interface AthenaScanOptions {
  readonly query: CompiledQuery;
  /** `db.table` as given. */
  readonly table: string;
  /** Partition values to read; empty = all. */
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  readonly deliveryMarginHours: number;
  readonly explainOnly: boolean;
  /** The end of a window left open (for the partition estimate of --explain). */
  readonly now: Date;
  readonly identity: {
    readonly usesChainOf: boolean;
    readonly needsGraph: boolean;
    readonly enrich: boolean;
  };
  /** Called only when something is to be run (never for --explain). */
  connect(): Promise<AthenaServices>;
  readonly stats: RunStats;
  readonly athenaStats: AthenaStats;
  readonly signal: AbortSignal;
  /** Each match, holding the event it was filtered as, with the identity graph it was filtered against (null: a plain scan). */
  write(record: MatchRecord, graph: IdentityGraph | null): Promise<void> | void;
  onBad(origin: Origin, message: string): void;
  onWarning(message: string): void;
  onError(message: string): void;
}

export interface AthenaStats {
  athenaQueries: number;
  bytesScanned: number;
  /** Per query, as billed: at least 10 MB, rounded up to the MB (see athenaCostUsd). */
  billedBytes: number;
}

export function emptyAthenaStats(): AthenaStats {
  return { athenaQueries: 0, bytesScanned: 0, billedBytes: 0 };
}

/**
 * Athena's published price for SQL queries: "$5.00 per TB of data scanned", "rounded up to the
 * nearest megabyte, with a 10 MB minimum per query" (https://aws.amazon.com/athena/pricing/; TB and
 * MB binary, as AWS bills). Regions differ slightly; this is the us-east-1 price, an estimate.
 */
export const USD_PER_TB = 5;
const MB = 2 ** 20;
const TB = 2 ** 40;

export function billedBytes(scanned: number): number {
  return Math.max(10 * MB, Math.ceil(scanned / MB) * MB);
}

export function athenaCostUsd(stats: AthenaStats): number {
  return Math.round((stats.billedBytes / TB) * USD_PER_TB * 1e6) / 1e6;
}

export type AthenaScanResult = { readonly failed: boolean; readonly explanation: string | null };

/** Objects being read at once, ahead of the one being filtered. */
const OBJECTS_AHEAD = 8;

export async function scanAthena(options: AthenaScanOptions): Promise<AthenaScanResult> {
  const table = sqlTableName(options.table);
  if (table === null) {
    options.onError(`--athena-table: '${options.table}' is not a table name (table, database.table or catalog.database.table)`);
    return { failed: true, explanation: null };
  }
  const base: StatementInput = {
    table,
    window: options.query.spec.window,
    deliveryMarginHours: options.deliveryMarginHours,
    accounts: options.accounts,
    regions: options.regions,
  };
  const sql = compileQueryStatement({ ...base, actions: options.query.selection.actions, expressions: options.query.expressions });
  if (options.explainOnly) {
    const estimate = estimatePartitions({ ...base, window: { ...base.window, toMs: base.window.toMs ?? options.now.getTime() } });
    // chainOf() does not run the query's statement: its first round asks for the hops.
    const firstRound = chainStatements(base, 'EventName', HOP_EVENT_NAMES);
    const shown = options.identity.usesChainOf && firstRound.ok ? firstRound.statements.join('\n') : sql;
    return { failed: false, explanation: explainAthena(options, shown, estimate) };
  }

  const services = await options.connect();
  const session = new AthenaSession(options, services);
  try {
    if (options.identity.usesChainOf) await scanChains(options, session, base);
    else await scanSelect(options, session, sql);
    session.reportMissing();
  } catch (error) {
    if (!(error instanceof QueryFailed)) throw error;
    // Ctrl-C is not a failure of the query: the run ends as interrupted (exit 130).
    if (error.reason === 'interrupted') options.onWarning(error.message);
    else options.onError(error.message);
    return { failed: error.reason !== 'interrupted', explanation: null };
  }
  return { failed: session.failed, explanation: null };
}

class QueryFailed extends Error {
  constructor(
    message: string,
    readonly reason: Extract<QueryRun, { ok: false }>['reason'],
  ) {
    super(message);
  }
}

/** Runs statements, counts them, reads the objects they name and keeps only the records they named. */
class AthenaSession {
  /** An object Athena named could not be read: its events are missing from the answer. */
  failed = false;
  /** Events Athena named that were not in their object (replaced or deleted since). */
  private missing = 0;

  constructor(
    private readonly options: AthenaScanOptions,
    private readonly services: AthenaServices,
  ) {}

  /** Object → the eventIDs Athena returned in it ('' for a record without one). */
  async select(sql: string): Promise<Map<string, Set<string>>> {
    const { athenaStats } = this.options;
    const run = await this.services.runStatement(sql);
    athenaStats.athenaQueries++;
    athenaStats.bytesScanned += run.bytesScanned;
    // "You are not charged for failed queries"; a cancelled one is charged for what it scanned (Athena pricing).
    if (run.ok || (run.reason !== 'failed' && run.reason !== 'error')) athenaStats.billedBytes += billedBytes(run.bytesScanned);
    if (!run.ok) throw new QueryFailed(run.message, run.reason);
    const byObject = new Map<string, Set<string>>();
    for await (const [path, eventId] of run.rows) {
      if (path === null || path === undefined) continue;
      let ids = byObject.get(path);
      if (ids === undefined) byObject.set(path, (ids = new Set()));
      ids.add(eventId ?? '');
    }
    return byObject;
  }

  /** The records Athena named, object by object, in Athena's order; a few objects are read ahead. */
  async *records(byObject: Map<string, Set<string>>): AsyncGenerator<SourceItem> {
    const { signal } = this.options;
    const entries = [...byObject];
    const pending: { path: string; ids: Set<string>; read: Promise<ObjectRead> }[] = [];
    let next = 0;
    const fill = () => {
      while (pending.length < OBJECTS_AHEAD && next < entries.length && !signal.aborted) {
        const [path, ids] = entries[next++]!;
        pending.push({ path, ids, read: this.services.objects.read(path, signal) });
      }
    };
    fill();
    for (let entry = pending.shift(); entry !== undefined && !signal.aborted; entry = pending.shift()) {
      const read = await entry.read;
      fill();
      if (!read.ok) {
        if (signal.aborted) return;
        this.failed = true;
        this.options.onError(`${read.message}; the events Athena found in it are missing`);
        continue;
      }
      this.options.stats.files++;
      const found = new Set<string>();
      for (const item of read.items) {
        const id = item.kind === 'event' && typeof item.event.eventID === 'string' ? item.event.eventID : '';
        if (item.kind === 'bad') yield item;
        else if (entry.ids.has(id)) {
          found.add(id);
          yield item;
        } else this.options.stats.eventsScanned++; // read, and ruled out by Athena's answer
      }
      this.missing += entry.ids.size - found.size;
    }
  }

  reportMissing(): void {
    if (this.missing > 0) {
      this.options.onWarning(`${this.missing} event${this.missing === 1 ? '' : 's'} Athena named ${this.missing === 1 ? 'was' : 'were'} not in ${this.missing === 1 ? 'its object' : 'their objects'} (replaced since the query?)`);
    }
  }
}

async function scanSelect(options: AthenaScanOptions, session: AthenaSession, sql: string): Promise<void> {
  const { stats, query } = options;
  const items = session.records(await session.select(sql));
  if (options.identity.needsGraph) {
    const held: CrawledEvent[] = [];
    for await (const item of items) {
      if (item.kind === 'bad') reportBad(options, item);
      else held.push({ event: item.event, text: item.text });
    }
    await writeHeldMatches(held, graphOf(held.map((h) => h.event)), options);
    return;
  }
  for await (const item of items) {
    if (item.kind === 'bad') {
      reportBad(options, item);
      continue;
    }
    stats.eventsScanned++;
    if (!query.test(item.event)) continue;
    stats.matched++;
    await options.write(query.recordOf(item.event, item.text), null);
  }
}

async function scanChains(options: AthenaScanOptions, session: AthenaSession, base: StatementInput): Promise<void> {
  const crawl = await crawlChains({
    targets: [...new Set(chainOfArguments(options.query.expressions).map((arg) => arg.value))],
    regions: ['athena'],
    window: { fromMs: base.window.fromMs ?? 0, toMs: base.window.toMs ?? Date.now() },
    signal: options.signal,
    onBad: (item) => reportBad(options, item),
    fetch: (lookups) => {
      const items = roundItems(session, base, lookups.map((lookup) => lookup.attribute).filter((a): a is LookupAttribute => a !== null));
      return { items, done: Promise.resolve() };
    },
  });
  await writeHeldMatches(crawl.events, crawl.graph, options);
}

/** One crawl round: one statement (or several, under the length limit) per attribute key. */
async function* roundItems(session: AthenaSession, base: StatementInput, attributes: readonly LookupAttribute[]): AsyncGenerator<SourceItem> {
  const byKey = new Map<ChainAttributeKey, string[]>();
  for (const attribute of attributes) {
    if (attribute.key !== 'EventName' && attribute.key !== 'AccessKeyId' && attribute.key !== 'Username') continue;
    byKey.set(attribute.key, [...(byKey.get(attribute.key) ?? []), attribute.value]);
  }
  for (const [key, values] of byKey) {
    const statements = chainStatements(base, key, values);
    if (!statements.ok) throw new QueryFailed(statements.message, 'error');
    for (const sql of statements.statements) yield* session.records(await session.select(sql));
  }
}

function reportBad(options: AthenaScanOptions, item: Extract<SourceItem, { kind: 'bad' }>): void {
  options.stats.badRecords++;
  options.onBad(item.origin, item.message);
}

function explainAthena(options: AthenaScanOptions, sql: string, estimate: PartitionEstimate): string {
  const count = (n: number | null, what: string) => (n === null ? `every ${what} of the projection` : `${n} ${what}${n === 1 ? '' : 's'}`);
  const total = estimate.days !== null && estimate.accounts !== null && estimate.regions !== null ? ` = ${estimate.days * estimate.accounts * estimate.regions} partitions` : '';
  const lines = [
    `athena: ${options.table}, partitions: ${count(estimate.days, 'day')} × ${count(estimate.accounts, 'account')} × ${count(estimate.regions, 'region')}${total}`,
    `  (date folders include a ${options.deliveryMarginHours} h delivery margin after the window)`,
  ];
  if (options.identity.usesChainOf) {
    lines.push('  chainOf(): rounds over these partitions until no new session appears; the first asks for the hops, later ones for the sessions found (useridentity.accesskeyid IN …):');
  }
  lines.push(sql.replace(/^/gm, '    '));
  return lines.join('\n') + '\n';
}
