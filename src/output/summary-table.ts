/**
 * The summary rows for people at a terminal: one table line per group with the columns a responder scans first, then
 * indented lines for what does not fit in a column (every error code, every denied target, who made the calls),
 * and a legend for the markers used. The NDJSON form of the rows (summary.ts) keeps every field; this one is for reading.
 */
import type { JsonObject } from '../language/json';
import { isJsonObject } from '../language/json';
import { apiName } from './api-name';
import { OTHER_ERROR_CODES } from './summary';
import { layoutTable, tableHeader, tableRow, type ColumnSpec } from './table';
import { displayWidth, fitToWidth, terminalSafe, truncateToWidth, wrapToWidth, type CutAt } from './terminal-safe';

export interface SummaryTableOptions {
  /** Terminal width in columns. */
  readonly width: number;
  /** The group key names the rows start with; eventSource and eventName (shown as one `api` column) by default. */
  readonly groupKeys?: readonly string[];
  /** Column keys to show, in order (`--columns`); the defaults when absent. */
  readonly columns?: readonly string[];
  /** Told which columns did not fit. */
  readonly onNote?: (message: string) => void;
}

/** Every column `--columns` can name besides the group keys; the first ones are shown by default. */
export const SUMMARY_TABLE_COLUMNS: readonly ColumnSpec[] = [
  { key: 'api', min: 36, priority: 0 },
  { key: 'count', align: 'right', priority: 1 },
  { key: 'failed', align: 'right', priority: 3 },
  // A marker cut short ('writ…') matches no legend entry and loses its '!': shown whole (6) or dropped.
  { key: 'kind', min: 6, priority: 2 },
  { key: 'identities', align: 'right', priority: 4 },
  { key: 'firstSeen', min: 20, priority: 6 },
  { key: 'lastSeen', min: 20, priority: 5 },
  { key: 'regions', min: 9, priority: 7 },
  { key: 'sessions', align: 'right', priority: 8 },
];
const DEFAULT_COLUMNS = ['api', 'count', 'failed', 'kind', 'identities', 'firstSeen', 'lastSeen', 'regions'];

/** Items of a detail line beyond this many are said as `N more`. */
const DETAIL_ITEMS = 3;
const INDENT = '    ';

export const KIND_LEGEND: Readonly<Record<string, string>> = {
  write: 'at least one call changed something (readOnly false)',
  read: 'read-only calls',
  'read!': 'read-only, but it can return secrets, keys or data (the sensitive list)',
  'write!': 'a write on the sensitive list',
  '?': 'CloudTrail did not say whether the call is read-only',
  '?!': 'a call on the sensitive list; CloudTrail did not say whether it was read-only',
};

/** `write`, `read`, or `?` when CloudTrail did not say (`readOnly` is optional, since eventVersion 1.01); `!` marks the sensitive list. */
export function kindOf(row: JsonObject): string {
  const base = row['readOnly'] === false ? 'write' : row['readOnly'] === true ? 'read' : '?';
  return row['sensitive'] === true ? `${base}!` : base;
}

/** Name → count entries of a row's counts object, most frequent first (ties by name). */
export function countEntries(counts: unknown): [string, number][] {
  if (!isJsonObject(counts)) return [];
  return Object.entries(counts)
    .map(([name, count]): [string, number] => [name, Number(count)])
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
}

/** The rows as lines: header, then each row with its detail lines, then the legend. Every value is made terminal-safe. */
export function formatSummaryTable(rows: readonly JsonObject[], options: SummaryTableOptions): string[] {
  const custom = options.groupKeys !== undefined && options.groupKeys.length > 0;
  const groupSpecs: ColumnSpec[] = custom
    ? options.groupKeys!.map((key, i) => ({ key, min: 36, priority: i, cutAt: 'middle' as const }))
    : [];
  const available = [...groupSpecs, ...SUMMARY_TABLE_COLUMNS.filter((spec) => !custom || spec.key !== 'api')];
  const names = options.columns ?? [...groupSpecs.map((spec) => spec.key), ...DEFAULT_COLUMNS.filter((key) => !custom || key !== 'api')];
  const specs = names.map((name) => available.find((spec) => spec.key === name) ?? { key: name });

  const shown = rows.map((row) => ({
    ...row,
    api: apiName(row),
    count: row['occurrences'],
    failed: row['failures'],
    kind: kindOf(row),
    identities: countEntries(row['identities']).filter(([name]) => name !== OTHER_ERROR_CODES).length,
    identityCounts: row['identities'],
  }));
  const layout = layoutTable(shown, { columns: specs, width: options.width });
  if (layout.dropped.length > 0) {
    options.onNote?.(
      `summary table: not shown for lack of width: ${layout.dropped.join(', ')} (${layout.width} columns; choose with --columns, or set COLUMNS)`,
    );
  }
  const keptKeys = new Set(layout.columns.map((spec) => spec.key));
  const lines = [tableHeader(layout)];
  for (const row of shown) {
    lines.push(tableRow(layout, row));
    lines.push(...detailLines(row, keptKeys, layout.width));
  }
  lines.push(...legendLines(new Set(shown.map((row) => row.kind)), layout.width));
  return lines;
}

/** The indented lines under a row: when it was seen (if those columns were dropped), errors, denials, identities. */
function detailLines(row: Readonly<Record<string, unknown>>, kept: ReadonlySet<string>, width: number): string[] {
  const lines: string[] = [];
  if (!kept.has('firstSeen') || !kept.has('lastSeen')) {
    const first = String(row['firstSeen'] ?? '?');
    const last = String(row['lastSeen'] ?? '?');
    lines.push(fitToWidth(`${INDENT}seen ${first === last ? first : `${first} to ${last}`}`, width));
  }
  const errors = countEntries(row['errorCodes']);
  if (errors.length > 0) lines.push(listLine('errors', errors, width));
  const denied = countEntries(row['deniedTargets']);
  lines.push(...itemLines('denied', denied, width, 'wrap'));
  const identities = countEntries(row['identityCounts']);
  if (identities.length > 1 || (identities.length === 1 && identities[0]![0] !== '')) {
    lines.push(...itemLines('by', identities, width, 'start'));
  }
  return lines;
}

/** An error code as the table names it: the capped remainder as `others`. */
function countedName(name: string): string {
  return name === OTHER_ERROR_CODES ? 'others' : name === '' ? '(no identity)' : name;
}

/**
 * One line of `name count` items, as many as fit whole, then `N more`. Only the first item may be cut, and then
 * only its name: an item cut short without its count would read as another error code.
 */
function listLine(label: string, items: readonly [string, number][], width: number): string {
  let line = `${INDENT}${label}: `;
  for (let i = 0; i < items.length; i++) {
    const [name, count] = items[i]!;
    const rest = items.length - i - 1;
    const more = rest > 0 ? `, ${rest} more` : '';
    const countText = ` ${count}`;
    if (i === 0) {
      const room = Math.max(8, width - displayWidth(line) - countText.length - more.length);
      line += fitToWidth(countedName(name), room) + countText;
      continue;
    }
    const item = terminalSafe(countedName(name)) + countText;
    if (displayWidth(`${line}, ${item}${more}`) > width) return `${line}, ${items.length - i} more`;
    line += `, ${item}`;
  }
  return line;
}

/**
 * One item a line (denied targets and identities are long), the first few, then `N more`. Identities are cut from
 * the start so the distinctive tail survives; denied targets are wrapped, since their action, resource and reason all
 * matter.
 */
function itemLines(label: string, items: readonly [string, number][], width: number, fit: CutAt | 'wrap'): string[] {
  const hang = `${INDENT}${' '.repeat(label.length + 1)} `;
  const lines = items.slice(0, DETAIL_ITEMS).flatMap(([name, count], i) => {
    const head = i === 0 ? `${INDENT}${label}: ` : hang;
    const text = countedName(name);
    const countText = ` (${count})`;
    const room = Math.max(1, width - head.length - countText.length);
    if (fit !== 'wrap') return [head + fitToWidth(text, room, fit) + countText];
    const wrapped = wrapToWidth(text, room);
    return wrapped.map((part, j) => (j === 0 ? head : hang) + part + (j === wrapped.length - 1 ? countText : ''));
  });
  if (items.length > DETAIL_ITEMS) lines.push(`${hang}${items.length - DETAIL_ITEMS} more (the NDJSON summary lists them)`);
  return lines.map((line) => truncateToWidth(line, width));
}

function legendLines(kinds: ReadonlySet<string>, width: number): string[] {
  const used = Object.keys(KIND_LEGEND).filter((kind) => kinds.has(kind));
  if (used.length === 0) return [];
  return ['', ...used.map((kind, i) => fitToWidth(`${i === 0 ? 'kind:' : '     '} ${kind.padEnd(6)} ${KIND_LEGEND[kind]}`, width))];
}
