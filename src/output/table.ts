/**
 * Rows of values as aligned text columns fitted to a terminal width. Every cell and header goes through
 * terminal-safe first: the values come from CloudTrail records, which the caller of the API chose.
 */
import { displayWidth, fitToWidth, terminalSafe, type CutAt } from './terminal-safe';

export interface ColumnSpec {
  /** The row property shown. */
  readonly key: string;
  /** Header text; the key when absent. */
  readonly header?: string;
  /** Right alignment suits counts; default: right when every value of the column is a number. */
  readonly align?: 'left' | 'right';
  /** Narrower than this (or its natural width, if smaller) the column is dropped instead of shrunk. Default 3. */
  readonly min?: number;
  /** When columns must be dropped, the highest number goes first; default: its position (rightmost first). */
  readonly priority?: number;
  /** Where a value too long for the column loses characters; `start` keeps an ARN's distinctive tail. */
  readonly cutAt?: CutAt;
}

export interface TableOptions {
  /** Columns in order: keys, or specs. */
  readonly columns: readonly (string | ColumnSpec)[];
  /** Terminal width in columns; lines are never wider (but for absurdly narrow widths, see formatTable). */
  readonly width: number;
}

/** Which columns are shown and how wide: decided once from the rows at hand, then used for every row after. */
export interface TableLayout {
  readonly columns: readonly ColumnSpec[];
  readonly widths: readonly number[];
  readonly rightAligned: readonly boolean[];
  /** Headers of the columns left out for lack of width, in their original order. */
  readonly dropped: readonly string[];
  readonly width: number;
}

const GAP = '  ';
/** A column shrunk for lack of room keeps at least this many columns, or its natural width if smaller. */
const MIN_COLUMN = 3;

/** A value as cell text, before it is made safe: arrays joined by ', ', objects as compact JSON, null as ''. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  return JSON.stringify(value) ?? '';
}

/**
 * The table as lines (header first), without trailing spaces and without a final newline. When the natural widths do
 * not fit, the widest columns give up room first, none below its minimum (a column of numbers keeps its natural
 * width) and cut values show `…`; when even the minimums do not fit, columns are dropped (see layoutTable); if a single
 * column still does not fit, each line is cut to the width.
 */
export function formatTable(rows: readonly Readonly<Record<string, unknown>>[], options: TableOptions): string[] {
  const layout = layoutTable(rows, options);
  return [tableHeader(layout), ...rows.map((row) => tableRow(layout, row))];
}

/**
 * Fits the columns to the width: natural widths if they fit; else every column shrinks toward its minimum, widest
 * first; if the minimums do not fit either, the column with the highest priority number is dropped, and so on, rather
 * than cutting every column to a few unreadable characters. At least one column is always kept.
 */
export function layoutTable(rows: readonly Readonly<Record<string, unknown>>[], options: TableOptions): TableLayout {
  const specs = options.columns.map((c): ColumnSpec => (typeof c === 'string' ? { key: c } : c));
  const width = Math.max(1, Math.floor(options.width));
  const natural = specs.map((spec) =>
    rows.reduce((max, row) => Math.max(max, displayWidth(terminalSafe(cellText(row[spec.key])))), displayWidth(terminalSafe(spec.header ?? spec.key))),
  );
  const numeric = specs.map((spec) => rows.length > 0 && rows.every((row) => typeof row[spec.key] === 'number'));
  // A cut number reads as a different number: numeric columns keep their natural width.
  const minimums = natural.map((n, i) => (numeric[i] === true ? n : Math.min(n, specs[i]!.min ?? MIN_COLUMN)));
  const kept = specs.map((_, i) => i);
  const need = () => kept.reduce((sum, i) => sum + minimums[i]!, 0) + GAP.length * (kept.length - 1);
  while (kept.length > 1 && need() > width) {
    const rank = (i: number) => specs[i]!.priority ?? i;
    const victim = kept.reduce((worst, i) => (rank(i) >= rank(worst) ? i : worst));
    kept.splice(kept.indexOf(victim), 1);
  }
  const widths = fitWidths(
    kept.map((i) => natural[i]!),
    width - GAP.length * (kept.length - 1),
    kept.map((i) => minimums[i]!),
  );
  return {
    columns: kept.map((i) => specs[i]!),
    widths,
    rightAligned: kept.map((i) => specs[i]!.align === 'right' || (specs[i]!.align === undefined && numeric[i] === true)),
    dropped: specs.filter((_, i) => !kept.includes(i)).map((spec) => spec.header ?? spec.key),
    width,
  };
}

export function tableHeader(layout: TableLayout): string {
  return tableLine(layout, layout.columns.map((spec) => spec.header ?? spec.key));
}

export function tableRow(layout: TableLayout, row: Readonly<Record<string, unknown>>): string {
  return tableLine(layout, layout.columns.map((spec) => cellText(row[spec.key])));
}

function tableLine(layout: TableLayout, rawCells: readonly string[]): string {
  const parts = rawCells.map((cell, i) => {
    const columnWidth = layout.widths[i] ?? 0;
    // Made safe and cut in one step from the raw text, so that no escape is split.
    const shown = fitToWidth(cell, columnWidth, layout.columns[i]?.cutAt);
    const pad = ' '.repeat(Math.max(0, columnWidth - displayWidth(shown)));
    return layout.rightAligned[i] ? pad + shown : shown + pad;
  });
  return fitToWidthSafe(parts.join(GAP).trimEnd(), layout.width);
}

/** A joined line is already safe; it is cut only when the columns could not be fitted. */
function fitToWidthSafe(line: string, width: number): string {
  if (displayWidth(line) <= width) return line;
  let out = '';
  let used = 0;
  for (const char of line) {
    const w = displayWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return out + '…';
}

/**
 * Column widths that sum to at most `available`: the natural widths if they fit, else every column capped at the
 * largest cap C that fits (widest columns shrink first), none below its minimum, with the room left over given back
 * left to right. When even the minimums do not fit, the minimums (the caller cuts the lines).
 */
export function fitWidths(
  natural: readonly number[],
  available: number,
  minimums: readonly number[] = natural.map((n) => Math.min(n, MIN_COLUMN)),
): number[] {
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= available) return [...natural];
  const widthAt = (cap: number, i: number): number => Math.max(minimums[i] ?? 0, Math.min(natural[i] ?? 0, cap));
  const sumAt = (cap: number): number => natural.reduce((sum, _, i) => sum + widthAt(cap, i), 0);
  let low = 0;
  let high = Math.max(...natural);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (sumAt(mid) <= available) low = mid;
    else high = mid - 1;
  }
  const widths = natural.map((_, i) => widthAt(low, i));
  let spare = available - widths.reduce((a, b) => a + b, 0);
  for (let i = 0; i < widths.length && spare > 0; i++) {
    const n = natural[i] ?? 0;
    const w = widths[i] ?? 0;
    if (w < n) {
      widths[i] = w + 1;
      spare--;
    }
  }
  return widths;
}
