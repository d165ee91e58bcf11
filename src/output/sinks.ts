/**
 * Where matching events go. Sources hand over matches as records (see match-record.ts); the sink for
 * the chosen format writes their text on, wraps it in one JSON array, lays their events out as a
 * table, folds them into per-API summary rows, or draws the identity graph of the batch's graph.
 */
import type { Matches } from './match-record';
import type { NdjsonSink } from './ndjson-sink';
import { createSummary, type SummaryOptions } from './summary';
import { formatSummaryTable } from './summary-table';
import { EventTable } from './event-table';
import { ChainGraphBuilder } from './graph/chain-graph';
import { formatDot } from './graph/dot';
import { collapsedNote } from './graph/labels';

export type OutputFormat = 'ndjson' | 'json' | 'table' | 'dot';

export interface OutputSink {
  /** Matching events, with the identity graph they were matched against. */
  write(matches: Matches): Promise<void> | void;
  /** Writes whatever was held back (array end, table, summary rows). */
  finish(): Promise<void>;
}

export interface TableSinkOptions {
  /** Terminal width in columns. */
  readonly width: number;
  /** `--columns`: the table columns to show, in order. */
  readonly columns?: readonly string[];
  /** Notes for the user (stderr): which columns did not fit. */
  readonly onNote: (message: string) => void;
}

export interface SinkOptions extends TableSinkOptions {
  readonly format: OutputFormat;
  readonly summary: SummaryOptions | null;
}

export function createSink(out: NdjsonSink, options: SinkOptions): OutputSink {
  if (options.summary !== null) return new SummarySink(out, options.format, options, options.summary);
  switch (options.format) {
    case 'ndjson':
      return { write: (matches) => out.write(matches.ndjson), finish: () => out.end() };
    case 'json':
      return new JsonArraySink(out);
    case 'table':
      return new EventTableSink(out, options);
    case 'dot':
      return new DotSink(out, options.onNote);
  }
}

/** `--format json`: one array, streamed element by element (nothing is held in memory). */
class JsonArraySink implements OutputSink {
  private first = true;
  constructor(private readonly out: NdjsonSink) {}

  write(matches: Matches): Promise<void> | void {
    let chunk = '';
    for (const { text } of matches.records) {
      chunk += (this.first ? '[\n' : ',\n') + text;
      this.first = false;
    }
    return this.out.write(chunk);
  }

  async finish(): Promise<void> {
    await this.out.write(this.first ? '[]\n' : '\n]\n');
    await this.out.end();
  }
}

/** `--format table` for events: rows stream out a page at a time (see event-table.ts). */
class EventTableSink implements OutputSink {
  private readonly table: EventTable;
  constructor(
    private readonly out: NdjsonSink,
    options: TableSinkOptions,
  ) {
    this.table = new EventTable({ width: options.width, onNote: options.onNote, ...(options.columns ? { columns: options.columns } : {}) });
  }

  write(matches: Matches): Promise<void> | void {
    const lines: string[] = [];
    for (const record of matches.records) lines.push(...this.table.push(record.lastRead()));
    if (lines.length > 0) return this.out.write(lines.join('\n') + '\n');
  }

  async finish(): Promise<void> {
    const lines = this.table.end();
    if (lines.length > 0) await this.out.write(lines.join('\n') + '\n');
    await this.out.end();
  }
}

/** `--format dot`: the identity graph of the matched events, written at the end (see graph/dot.ts). */
class DotSink implements OutputSink {
  private readonly graph = new ChainGraphBuilder();
  constructor(
    private readonly out: NdjsonSink,
    private readonly onNote: (message: string) => void,
  ) {}

  write(matches: Matches): void {
    for (const record of matches.records) {
      const event = record.lastRead();
      this.graph.add(event, matches.graph?.enrichment(event) ?? null);
    }
  }

  async finish(): Promise<void> {
    const graph = this.graph.finish();
    const collapsed = collapsedNote(graph);
    if (collapsed !== null) this.onNote(`graph: ${collapsed}`);
    await this.out.write(formatDot(graph));
    await this.out.end();
  }
}

/** `--summary`: one row per group, written at the end in the chosen format. */
class SummarySink implements OutputSink {
  private readonly summary;
  constructor(
    private readonly out: NdjsonSink,
    private readonly format: OutputFormat,
    private readonly table: TableSinkOptions,
    private readonly options: SummaryOptions,
  ) {
    this.summary = createSummary(options);
  }

  write(matches: Matches): void {
    // A piece the scan folded comes in input order, after every batch before it: merged, it adds what its events would.
    if (matches.summary !== null) this.summary.merge(matches.summary);
    else for (const record of matches.records) this.summary.add(record.lastRead(), matches.graph);
  }

  async finish(): Promise<void> {
    const rows = this.summary.rows();
    if (this.format === 'table') {
      const groupKeys = this.options.groupBy?.map((key) => key.name);
      const lines = formatSummaryTable(rows, {
        width: this.table.width,
        onNote: this.table.onNote,
        ...(groupKeys && groupKeys.length > 0 ? { groupKeys } : {}),
        ...(this.table.columns ? { columns: this.table.columns } : {}),
      });
      await this.out.write(lines.join('\n') + '\n');
    } else if (this.format === 'json') {
      await this.out.write(JSON.stringify(rows, null, 2) + '\n');
    } else {
      await this.out.write(rows.map((row) => JSON.stringify(row) + '\n').join(''));
    }
    await this.out.end();
  }
}
