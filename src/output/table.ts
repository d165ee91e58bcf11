/**
 * Rows of values as aligned text columns fitted to a terminal width. Every cell and header goes through
 * terminal-safe first: the values come from CloudTrail records, which the caller of the API chose.
 */
import { displayWidth, fitToWidth, terminalSafe } from './terminal-safe';

export interface ColumnSpec {
  /** The row property shown. */
  readonly key: string;
  /** Header text; the key when absent. */
  readonly header?: string;
  /** Right alignment suits counts; default: right when every value of the column is a number. */
  readonly align?: 'left' | 'right';
}

export interface TableOptions {
  /** Columns in order: keys, or specs. */
  readonly columns: readonly (string | ColumnSpec)[];
  /** Terminal width in columns; lines are never wider (but for absurdly narrow widths, see formatTable). */
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
 * not fit, the widest columns give up room first (each keeps at least 3 columns; a column of numbers keeps its
 * natural width) and cut values end in `…`; if even that does not fit, each line is cut to the width.
 */
export function formatTable(rows: readonly Readonly<Record<string, unknown>>[], options: TableOptions): string[] {
  const specs = options.columns.map((c): ColumnSpec => (typeof c === 'string' ? { key: c } : c));
  const width = Math.max(1, Math.floor(options.width));
  const rawHeaders = specs.map((spec) => spec.header ?? spec.key);
  const rawCells = rows.map((row) => specs.map((spec) => cellText(row[spec.key])));
  const natural = specs.map((_, i) =>
    [rawHeaders, ...rawCells].reduce((max, cells) => Math.max(max, displayWidth(terminalSafe(cells[i] ?? ''))), 0),
  );
  const numeric = specs.map((spec) => rows.length > 0 && rows.every((row) => typeof row[spec.key] === 'number'));
  const rightAligned = specs.map((spec, i) => spec.align === 'right' || (spec.align === undefined && numeric[i] === true));
  // A cut number reads as a different number: numeric columns keep their natural width.
  const minimums = natural.map((n, i) => (numeric[i] === true ? n : Math.min(n, MIN_COLUMN)));
  const widths = fitWidths(natural, width - GAP.length * Math.max(0, specs.length - 1), minimums);

  const line = (rawCellsOfLine: readonly string[]): string => {
    const parts = rawCellsOfLine.map((cell, i) => {
      const columnWidth = widths[i] ?? 0;
      // Made safe and cut in one step from the raw text, so that no escape is split.
      const shown = fitToWidth(cell, columnWidth);
      const pad = ' '.repeat(Math.max(0, columnWidth - displayWidth(shown)));
      return rightAligned[i] ? pad + shown : shown + pad;
    });
    return fitToWidthSafe(parts.join(GAP).trimEnd(), width);
  };

  return [line(rawHeaders), ...rawCells.map(line)];
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
