import { describe, expect, it } from 'vitest';
import { displayWidth, fitToWidth, terminalSafe, truncateToWidth } from '../../src/output/terminal-safe';

/** Nothing a terminal would act on or hide: no control, format, separator or surrogate code point. */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe('terminalSafe', () => {
  it('leaves printable text alone', () => {
    expect(terminalSafe('aws-cli/2.15.0 Python/3.11')).toBe('aws-cli/2.15.0 Python/3.11');
    expect(terminalSafe('東京 café')).toBe('東京 café');
  });

  it('writes ESC sequences, CR, LF, TAB, NUL and DEL as visible escapes', () => {
    expect(terminalSafe('\x1b[31mred\x1b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    expect(terminalSafe('a\r\nb\tc\0d\x7f')).toBe('a\\r\\nb\\tc\\x00d\\x7f');
    expect(terminalSafe('\x1b]0;pwned\x07')).toBe('\\x1b]0;pwned\\x07');
  });

  it('escapes C1 controls, including the 8-bit CSI', () => {
    expect(terminalSafe('\u009b31m\u0085')).toBe('\\x9b31m\\x85');
  });

  it('escapes bidi controls, zero-width characters and line separators', () => {
    expect(terminalSafe('invoice\u202egpj.exe')).toBe('invoice\\u202egpj.exe');
    const hostile = '\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200c\u200d\u2060\ufeff\u2028\u2029\u00ad';
    const safe = terminalSafe(hostile);
    expect(safe).not.toMatch(INVISIBLE_OR_CONTROL);
    expect(safe.split('\\u').length - 1).toBe(18);
    expect(safe).toContain('\\xad');
  });

  it('escapes lone surrogates and the invisible Hangul filler', () => {
    expect(terminalSafe('a\ud800b')).toBe('a\\ud800b');
    expect(terminalSafe('\u3164')).toBe('\\u3164');
  });

  it('doubles backslashes so an escape in the data cannot pass for one ctq wrote', () => {
    expect(terminalSafe('\\x1b')).toBe('\\\\x1b');
    expect(terminalSafe('\\x1b')).not.toBe(terminalSafe('\x1b'));
  });

  it('never lets a control character through, whatever the input', () => {
    let all = '';
    for (let code = 0; code < 0x3000; code++) all += String.fromCharCode(code);
    expect(terminalSafe(all)).not.toMatch(INVISIBLE_OR_CONTROL);
  });
});

describe('displayWidth', () => {
  it('counts East Asian wide characters and emoji as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('東京')).toBe(4);
    expect(displayWidth('한국어')).toBe(6);
    expect(displayWidth('ｱＡ')).toBe(3); // halfwidth katakana 1, fullwidth A 2
    expect(displayWidth('🔥')).toBe(2);
  });

  it('counts combining marks as zero columns', () => {
    expect(displayWidth('e\u0301')).toBe(1);
  });
});

describe('fitToWidth', () => {
  it('keeps text that fits', () => {
    expect(fitToWidth('hello', 5)).toBe('hello');
  });

  it('cuts with an ellipsis to exactly the width', () => {
    expect(fitToWidth('hello world', 8)).toBe('hello w…');
    expect(displayWidth(fitToWidth('hello world', 8))).toBe(8);
  });

  it('never splits an escape', () => {
    const cut = fitToWidth('ab\x1bcdef', 5);
    expect(cut).toBe('ab…');
    expect(fitToWidth('ab\x1bcdef', 7)).toBe('ab\\x1b…');
  });

  it('does not split a wide character; the result may be a column short', () => {
    const cut = fitToWidth('東京都庁', 6);
    expect(cut).toBe('東京…');
    expect(displayWidth(cut)).toBeLessThanOrEqual(6);
  });

  it('handles widths of one and zero', () => {
    expect(fitToWidth('abc', 1)).toBe('…');
    expect(fitToWidth('abc', 0)).toBe('');
  });

  it('truncateToWidth cuts already-safe text without escaping again', () => {
    expect(truncateToWidth('a\\nb', 10)).toBe('a\\nb');
    expect(truncateToWidth('abcdef', 4)).toBe('abc…');
  });
});
