/**
 * Where matching events go. Every source hands over NDJSON text (whole lines, as recorded); the sink
 * for the chosen format writes it on, wraps it in one JSON array, lays it out as a table, or folds it
 * into per-API summary rows. Formats that need whole objects parse only the lines that matched.
 */
import type { JsonObject } from '../language/json';
import { ndjsonLines } from './ndjson-lines';
import type { NdjsonSink } from './ndjson-sink';
import { createSummary, type SummaryOptions } from './summary';
import { formatSummaryTable } from './summary-table';
import { formatTable } from './table';

export type OutputFormat = 'ndjson' | 'json' | 'table';

export interface OutputSink {
  /** Whole NDJSON lines of matching events. */
  write(text: string): Promise<void> | void;
  /** Writes whatever was held back (array end, table, summary rows). */
  finish(): Promise<void>;
}

export function createSink(
  out: NdjsonSink,
  options: { format: OutputFormat; width: number; summary: SummaryOptions | null },
): OutputSink {
  if (options.summary !== null) return new SummarySink(out, options.format, options.width, options.summary);
  switch (options.format) {
    case 'ndjson':
      return { write: (text) => out.write(text), finish: () => out.end() };
    case 'json':
      return new JsonArraySink(out);
    case 'table':
      return new EventTableSink(out, options.width);
  }
}

/** `--format json`: one array, streamed element by element (nothing is held in memory). */
class JsonArraySink implements OutputSink {
  private first = true;
  constructor(private readonly out: NdjsonSink) {}

  write(text: string): Promise<void> | void {
    let chunk = '';
    for (const line of ndjsonLines(text)) {
      chunk += (this.first ? '[\n' : ',\n') + line;
      this.first = false;
    }
    return this.out.write(chunk);
  }

  async finish(): Promise<void> {
    await this.out.write(this.first ? '[]\n' : '\n]\n');
    await this.out.end();
  }
}

/** The columns a responder scans first: when, what, where, who, from where, and whether it failed. */
const EVENT_COLUMNS = ['eventTime', 'action', 'region', 'identity', 'sourceIPAddress', 'errorCode'] as const;

function eventRow(event: JsonObject): Record<string, unknown> {
  const identity = (event.userIdentity ?? {}) as JsonObject;
  const source = typeof event.eventSource === 'string' ? event.eventSource.replace(/\.amazonaws\.com$/, '') : '';
  return {
    eventTime: event.eventTime,
    action: `${source}:${String(event.eventName ?? '')}`,
    region: event.awsRegion,
    identity: identity.arn ?? identity.invokedBy ?? identity.type ?? '',
    sourceIPAddress: event.sourceIPAddress,
    errorCode: event.errorCode ?? '',
  };
}

/** `--format table` for events: aligned columns need every row first, so this one holds them (rows, not events). */
class EventTableSink implements OutputSink {
  private readonly rows: Record<string, unknown>[] = [];
  constructor(
    private readonly out: NdjsonSink,
    private readonly width: number,
  ) {}

  write(text: string): void {
    for (const line of ndjsonLines(text)) this.rows.push(eventRow(JSON.parse(line) as JsonObject));
  }

  async finish(): Promise<void> {
    const lines = formatTable(this.rows, { columns: [...EVENT_COLUMNS], width: this.width });
    await this.out.write(lines.join('\n') + '\n');
    await this.out.end();
  }
}

/** `--summary`: one row per group, written at the end in the chosen format. */
class SummarySink implements OutputSink {
  private readonly summary;
  constructor(
    private readonly out: NdjsonSink,
    private readonly format: OutputFormat,
    private readonly width: number,
    private readonly options: SummaryOptions,
  ) {
    this.summary = createSummary(options);
  }

  write(text: string): void {
    for (const line of ndjsonLines(text)) this.summary.add(JSON.parse(line) as JsonObject);
  }

  async finish(): Promise<void> {
    const rows = this.summary.rows();
    if (this.format === 'table') {
      const groupKeys = this.options.groupBy?.map((key) => key.name);
      const lines = formatSummaryTable(rows, { width: this.width, ...(groupKeys && groupKeys.length > 0 ? { groupKeys } : {}) });
      await this.out.write(lines.join('\n') + '\n');
    } else if (this.format === 'json') {
      await this.out.write(JSON.stringify(rows, null, 2) + '\n');
    } else {
      await this.out.write(rows.map((row) => JSON.stringify(row) + '\n').join(''));
    }
    await this.out.end();
  }
}
