import { describe, expect, it } from 'vitest';
import { fitWidths, formatTable, layoutTable, tableRow } from '../../src/output/table';
import { displayWidth, fitToWidth } from '../../src/output/terminal-safe';

const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe('formatTable', () => {
  it('aligns columns under their headers and right-aligns numbers', () => {
    const lines = formatTable(
      [
        { eventName: 'GetObject', occurrences: 12 },
        { eventName: 'PutBucketPolicy', occurrences: 3 },
      ],
      { columns: ['eventName', 'occurrences'], width: 80 },
    );
    expect(lines).toEqual([
      'eventName        occurrences',
      'GetObject                 12',
      'PutBucketPolicy            3',
    ]);
  });

  it('uses header text from column specs', () => {
    const lines = formatTable([{ a: 'x' }], { columns: [{ key: 'a', header: 'Alpha' }], width: 80 });
    expect(lines[0]).toBe('Alpha');
  });

  it('writes arrays joined and objects as JSON, null as empty', () => {
    const lines = formatTable([{ r: ['us-east-1', 'eu-west-1'], e: { AccessDenied: 2 }, n: null }], {
      columns: ['r', 'e', 'n'],
      width: 200,
    });
    expect(lines[1]).toBe('us-east-1, eu-west-1  {"AccessDenied":2}');
  });

  it('never emits a raw control, bidi or separator character from hostile values', () => {
    const hostile = [
      { userAgent: '\x1b[2J\x1b[Hfake prompt$ ', name: 'a\nb\rc', file: 'report\u202efdp.exe' },
      { userAgent: '\u2028\u2029\u200b\u2066x\u2069', name: '\u009b6n', file: '\x07\x08\x7f' },
    ];
    const lines = formatTable(hostile, { columns: ['userAgent', 'name', 'file'], width: 120 });
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toMatch(CONTROL);
    expect(lines[1]).toContain('\\x1b[2J');
    expect(lines[1]).toContain('a\\nb\\rc');
    expect(lines[1]).toContain('report\\u202efdp.exe');
  });

  it('fits very long values into the width, cutting them with an ellipsis', () => {
    const long = 'A'.repeat(10_000);
    const lines = formatTable([{ id: 'e1', requestParameters: long, region: 'us-east-1' }], {
      columns: ['id', 'requestParameters', 'region'],
      width: 60,
    });
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(60);
    expect(lines[1]).toContain('…');
    expect(lines[1]).toContain('us-east-1');
    expect(lines[1]?.startsWith('e1')).toBe(true);
  });

  it('keeps every line within narrow widths', () => {
    const rows = [{ a: 'alpha-bravo-charlie', b: '東京都庁舎の住所', c: 'x\x1by' }];
    for (const width of [40, 20, 12, 8, 5, 1]) {
      const lines = formatTable(rows, { columns: ['a', 'b', 'c'], width });
      for (const line of lines) {
        expect(displayWidth(line)).toBeLessThanOrEqual(width);
        expect(line).not.toMatch(CONTROL);
      }
    }
  });

  it('pads wide characters by display width, not string length', () => {
    const lines = formatTable([{ name: '東京', n: 1 }, { name: 'ab', n: 2 }], { columns: ['name', 'n'], width: 80 });
    expect(lines.map((l) => displayWidth(l))).toEqual([7, 7, 7]);
  });

  it('prints only the header for no rows', () => {
    expect(formatTable([], { columns: ['a', 'b'], width: 80 })).toEqual(['a  b']);
  });
});

describe('fitWidths', () => {
  it('keeps natural widths that fit', () => {
    expect(fitWidths([5, 10, 3], 18)).toEqual([5, 10, 3]);
  });

  it('shrinks the widest column first', () => {
    expect(fitWidths([5, 50, 3], 20)).toEqual([5, 12, 3]);
  });

  it('shares room between several wide columns and uses it all', () => {
    const widths = fitWidths([40, 40, 2], 30);
    expect(widths.reduce((a, b) => a + b, 0)).toBe(30);
    expect(widths[2]).toBe(2);
    expect(Math.abs((widths[0] ?? 0) - (widths[1] ?? 0))).toBeLessThanOrEqual(1);
  });
});

describe('formatTable: numbers', () => {
  it('never cuts a column of numbers; text columns give up the room', () => {
    const lines = formatTable([{ name: 'x'.repeat(50), count: 1234567 }], { columns: ['name', 'count'], width: 20 });
    expect(lines[1]?.endsWith('1234567')).toBe(true);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(20);
  });
});

describe('layoutTable: dropping and shortening', () => {
  const specs = [
    { key: 'time', min: 20, priority: 0 },
    { key: 'identity', min: 22, priority: 1, cutAt: 'start' as const },
    { key: 'ip', min: 9, priority: 3 },
    { key: 'region', min: 9, priority: 4 },
    { key: 'error', min: 8, priority: 2 },
  ];
  const rows = ['alice', 'bob'].map((name) => ({
    time: '2024-05-01T10:00:00Z',
    identity: `arn:aws:sts::123456789012:assumed-role/administrators/${name}`,
    ip: '203.0.113.77',
    region: 'ap-southeast-2',
    error: 'AccessDenied',
  }));

  it('drops the lowest-priority columns whole instead of cutting every column to a stub, and names them', () => {
    expect(layoutTable(rows, { columns: specs, width: 80 }).dropped).toEqual([]);
    const layout = layoutTable(rows, { columns: specs, width: 70 });
    expect(layout.dropped).toEqual(['region']);
    expect(layout.columns.map((c) => c.key)).toEqual(['time', 'identity', 'ip', 'error']);
    layout.widths.forEach((w, i) => expect(w).toBeGreaterThanOrEqual(layout.columns[i]!.min ?? 0));
    const narrow = layoutTable(rows, { columns: specs, width: 60 });
    expect(narrow.dropped).toEqual(['ip', 'region']);
  });

  it('cuts identities from the start so that rows differing at the end stay different', () => {
    const lines = formatTable(rows, { columns: specs, width: 60 });
    expect(lines[1]).toMatch(/ …[a-z-/]*administrators\/alice /);
    expect(lines[2]).toMatch(/ …[a-z-/]*administrators\/bob /);
    expect(lines[1]).not.toEqual(lines[2]);
  });

  it('writes later rows with the widths chosen from the first', () => {
    const layout = layoutTable(rows, { columns: specs, width: 80 });
    const later = tableRow(layout, { ...rows[0], identity: 'x'.repeat(300) });
    expect(displayWidth(later)).toBeLessThanOrEqual(80);
    expect(later.indexOf('AccessDenied')).toBe(tableRow(layout, rows[0]!).indexOf('AccessDenied'));
  });
});

describe('fitToWidth: where values are cut', () => {
  it('keeps the tail, both ends, or the head, never splitting an escape', () => {
    expect(fitToWidth('arn:aws:iam::1:user/alice', 12, 'start')).toBe('…:user/alice');
    expect(fitToWidth('abcdefghij', 7, 'middle')).toBe('abc…hij');
    expect(fitToWidth('abcdefghij', 7)).toBe('abcdef…');
    expect(fitToWidth('\x1babc', 4, 'start')).toBe('…abc');
    expect(fitToWidth('ab\x1bc', 6, 'start')).toBe('…\\x1bc');
  });
});
