/**
 * `--format table` for events. The columns are laid out from the first page of rows and kept for the rest, so rows
 * stream: memory holds one page, and `ctq … | head` gets its lines once a page has matched (or the scan has ended).
 */
import type { JsonObject } from '../language/json';
import { apiName } from './api-name';
import { identityText } from './identity-text';
import type { ColumnSpec, TableLayout } from './table';
import { layoutTable, tableHeader, tableRow } from './table';

/** Rows held before the columns are laid out; every row after is written as it comes. */
export const TABLE_PAGE_ROWS = 100;

/**
 * Every column `--columns` can name. Priorities say what goes first when 80 columns cannot hold them all: the time and
 * action stay, then who, then whether it failed, then from where. Minimums keep a value readable (an eventTime is never
 * cut); `identity` is cut from the start so that `…:assumed-role/admin/alice` survives.
 */
export const EVENT_TABLE_COLUMNS: readonly ColumnSpec[] = [
  { key: 'eventTime', min: 20, priority: 0 },
  { key: 'action', min: 20, priority: 1 },
  { key: 'region', min: 9, priority: 6 },
  { key: 'identity', min: 22, priority: 2, cutAt: 'start' },
  { key: 'sourceIPAddress', min: 9, priority: 5 },
  { key: 'errorCode', min: 8, priority: 3 },
  { key: 'eventName', min: 10, priority: 1 },
  { key: 'eventSource', min: 10, priority: 4 },
  { key: 'userAgent', min: 10, priority: 7 },
  { key: 'accessKeyId', min: 20, priority: 4 },
  { key: 'identityType', min: 8, priority: 7 },
  { key: 'readOnly', min: 5, priority: 7 },
  { key: 'recipientAccountId', min: 12, priority: 7 },
  { key: 'errorMessage', min: 12, priority: 8 },
  { key: 'eventID', min: 36, priority: 8 },
];

export const DEFAULT_EVENT_COLUMNS = ['eventTime', 'action', 'region', 'identity', 'sourceIPAddress', 'errorCode'] as const;

function eventRow(event: JsonObject): Record<string, unknown> {
  const identity = (event['userIdentity'] ?? {}) as JsonObject;
  return {
    eventTime: event['eventTime'],
    action: apiName(event),
    region: event['awsRegion'],
    identity: identityText(event),
    sourceIPAddress: event['sourceIPAddress'],
    errorCode: event['errorCode'] ?? '',
    eventName: event['eventName'],
    eventSource: event['eventSource'],
    userAgent: event['userAgent'],
    accessKeyId: identity['accessKeyId'],
    identityType: identity['type'],
    readOnly: event['readOnly'],
    recipientAccountId: event['recipientAccountId'],
    errorMessage: event['errorMessage'],
    eventID: event['eventID'],
  };
}

export interface EventTableOptions {
  readonly width: number;
  /** Column keys, in order; the defaults when absent. */
  readonly columns?: readonly string[];
  /** Told once which columns did not fit. */
  readonly onNote: (message: string) => void;
}

/** Turns events into table lines, page by page; `push` and `end` return the lines ready to write. */
export class EventTable {
  private layout: TableLayout | null = null;
  private readonly pending: Record<string, unknown>[] = [];
  private readonly specs: readonly ColumnSpec[];

  constructor(private readonly options: EventTableOptions) {
    const names = options.columns ?? DEFAULT_EVENT_COLUMNS;
    this.specs = names.map((name) => EVENT_TABLE_COLUMNS.find((spec) => spec.key === name) ?? { key: name });
  }

  push(event: JsonObject): string[] {
    const row = eventRow(event);
    if (this.layout !== null) return [tableRow(this.layout, row)];
    this.pending.push(row);
    return this.pending.length >= TABLE_PAGE_ROWS ? this.flushPage() : [];
  }

  end(): string[] {
    return this.layout === null ? this.flushPage() : [];
  }

  private flushPage(): string[] {
    const layout = layoutTable(this.pending, { columns: this.specs, width: this.options.width });
    this.layout = layout;
    if (layout.dropped.length > 0) {
      this.options.onNote(
        `table: not shown for lack of width: ${layout.dropped.join(', ')} (${layout.width} columns; choose with --columns, or set COLUMNS)`,
      );
    }
    const lines = [tableHeader(layout), ...this.pending.map((row) => tableRow(layout, row))];
    this.pending.length = 0;
    return lines;
  }
}
