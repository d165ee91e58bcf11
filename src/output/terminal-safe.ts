/**
 * Attacker-controlled text made safe to print on a terminal, and measured in terminal columns.
 *
 * CloudTrail records carry text the caller chose: userAgent, request parameters, resource names, error messages. Raw,
 * an ESC sequence can rewrite the screen or the window title, a CR or backspace can hide what came before, and a bidi
 * override (U+202E) can make `gpj.exe` read as `exe.jpg`. So every control, format and separator character is written
 * as a visible escape (`\x1b`, `\u202e`), and `\` itself as `\\`, so that an escape in the output can always be told
 * from the same characters in the data.
 */

/**
 * What is escaped: C0 and C1 controls and DEL (Cc), format characters (Cf: bidi embeddings, overrides, isolates and
 * marks, U+061C, zero-width space/joiners, word joiner, BOM, soft hyphen ...), line and paragraph separators (Zl, Zp),
 * lone surrogates (Cs), the invisible Hangul fillers often used to fake blank names, and the backslash.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115f\u1160\u3164\uffa0\\]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');
/** Printable ASCII but the backslash: safe as is, one column a character. */
const PLAIN_ASCII = /^[\x20-\x5b\x5d-\x7e]*$/;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

function escapeChar(char: string): string {
  const short = SHORT_ESCAPES[char];
  if (short !== undefined) return short;
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every unsafe character written as a visible escape. */
export function terminalSafe(text: string): string {
  if (PLAIN_ASCII.test(text)) return text;
  return text.replace(UNSAFE_ALL, escapeChar);
}

const COMBINING = /^\p{M}$/u;

/**
 * Columns a code point takes: 2 for East Asian wide and fullwidth characters and emoji, 0 for combining marks, 1
 * otherwise. The ranges are the common blocks of Unicode's East_Asian_Width W/F, not the whole table.
 */
function codePointWidth(code: number): number {
  if (code < 0x300) return 1;
  if (
    (code >= 0x1100 && code <= 0x115f) || // Hangul Jamo initial consonants
    (code >= 0x2e80 && code <= 0x303e) || // CJK radicals, Kangxi, CJK symbols and punctuation
    (code >= 0x3041 && code <= 0x33ff) || // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, CJK compatibility
    (code >= 0x3400 && code <= 0x4dbf) || // CJK extension A
    (code >= 0x4e00 && code <= 0x9fff) || // CJK unified ideographs
    (code >= 0xa000 && code <= 0xa4cf) || // Yi
    (code >= 0xac00 && code <= 0xd7a3) || // Hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0xfe30 && code <= 0xfe4f) || // CJK compatibility forms
    (code >= 0xff00 && code <= 0xff60) || // fullwidth forms
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) || // pictographs, emoticons
    (code >= 0x1f680 && code <= 0x1f6ff) || // transport and map symbols
    (code >= 0x1f900 && code <= 0x1f9ff) || // supplemental symbols and pictographs
    (code >= 0x1fa70 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd) // CJK extensions B and later
  ) {
    return 2;
  }
  return COMBINING.test(String.fromCodePoint(code)) ? 0 : 1;
}

/** Columns the (already safe) text takes on a terminal. */
export function displayWidth(text: string): number {
  if (PLAIN_ASCII.test(text)) return text.length;
  let width = 0;
  for (const char of text) width += codePointWidth(char.codePointAt(0) ?? 0);
  return width;
}

const ELLIPSIS = '…';

/** A printable piece of output that is never split: one character, or one whole escape. */
interface Piece {
  readonly text: string;
  readonly width: number;
}

function* pieces(raw: string, escape: boolean): Generator<Piece> {
  for (const char of raw) {
    if (escape && UNSAFE.test(char)) {
      const escaped = escapeChar(char);
      yield { text: escaped, width: escaped.length };
    } else {
      yield { text: char, width: codePointWidth(char.codePointAt(0) ?? 0) };
    }
  }
}

function fit(raw: string, width: number, escape: boolean): string {
  if (width <= 0) return '';
  if (PLAIN_ASCII.test(raw)) {
    return raw.length <= width ? raw : raw.slice(0, width - 1) + ELLIPSIS;
  }
  // Keep pieces while they fit in width - 1 (room for the ellipsis), and remember whether the whole text fits.
  let kept = '';
  let keptWidth = 0;
  let whole = '';
  let wholeWidth = 0;
  let cut = false;
  for (const piece of pieces(raw, escape)) {
    wholeWidth += piece.width;
    if (wholeWidth > width) {
      cut = true;
      break;
    }
    whole += piece.text;
    if (keptWidth + piece.width <= width - 1) {
      kept += piece.text;
      keptWidth += piece.width;
    }
  }
  return cut ? kept + ELLIPSIS : whole;
}

/**
 * Raw text made safe and cut to at most `width` columns, ending in `…` when cut. An escape is kept whole or left out,
 * never split (`\x1` would read as a different escape); a wide character that does not fit is left out.
 */
export function fitToWidth(raw: string, width: number): string {
  return fit(raw, width, true);
}

/** Already-safe text cut to at most `width` columns, ending in `…` when cut. */
export function truncateToWidth(safeText: string, width: number): string {
  return fit(safeText, width, false);
}

/** The terminal as the expression-error renderer sees it (src/language/errors.ts `Terminal`). */
export const TERMINAL = { escape: terminalSafe, width: displayWidth } as const;
