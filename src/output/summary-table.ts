/**
 * The summary rows as a terminal table: the columns a responder reads first, values shortened for the eye. The NDJSON
 * form of the rows (summary.ts) keeps every field; this one is for people.
 */
import type { JsonObject } from '../language/json';
import { isJsonObject } from '../language/json';
import { formatTable, type ColumnSpec } from './table';

export interface SummaryTableOptions {
  /** Terminal width in columns. */
  readonly width: number;
  /** The group key names the rows start with; eventSource and eventName by default. */
  readonly groupKeys?: readonly string[];
}

const DETAIL_COLUMNS: readonly ColumnSpec[] = [
  { key: 'occurrences', header: 'count', align: 'right' },
  { key: 'failures', header: 'failed', align: 'right' },
  { key: 'sessions', header: 'sessions', align: 'right' },
  { key: 'kind', header: 'kind' },
  { key: 'errorCodes', header: 'errors' },
  { key: 'regions', header: 'regions' },
  { key: 'lastSeen', header: 'last seen' },
  { key: 'deniedTarget', header: 'denied' },
  { key: 'sampleRequestParameters', header: 'sample parameters' },
];

/** `write`, `read`, or `read!` for a sensitive read-only call; `?` when CloudTrail did not say. */
function kindOf(row: JsonObject): string {
  const base = row['readOnly'] === false ? 'write' : row['readOnly'] === true ? 'read' : '?';
  return row['sensitive'] === true ? `${base}!` : base;
}

/** `AccessDenied 3, ThrottlingException 1`, most frequent first. */
function errorCodesText(codes: unknown): string {
  if (!isJsonObject(codes)) return '';
  return Object.entries(codes)
    .sort(([, a], [, b]) => Number(b) - Number(a))
    .map(([code, count]) => `${code} ${String(count)}`)
    .join(', ');
}

/** The rows as table lines, header first; every value is made terminal-safe by the table. */
export function formatSummaryTable(rows: readonly JsonObject[], options: SummaryTableOptions): string[] {
  const groupKeys = options.groupKeys ?? ['eventSource', 'eventName'];
  const shown = rows.map((row) => ({
    ...row,
    kind: kindOf(row),
    errorCodes: errorCodesText(row['errorCodes']),
  }));
  return formatTable(shown, { columns: [...groupKeys, ...DETAIL_COLUMNS], width: options.width });
}
