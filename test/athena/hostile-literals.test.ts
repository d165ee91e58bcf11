/**
 * Every string that enters SQL is escaped: hostile literals in expressions, in chainOf() rounds and
 * in partition values leave the statement one statement, and the Trino grammar reads each literal
 * back exactly as it was given.
 */
import { describe, expect, test } from 'vitest';
import { chainStatements, sqlTableName } from '../../src/athena-sql';
import { pushed, statementFor } from './compile-support';
import { parseTrino } from './sql-grammar';

const HOSTILE = [
  "it's",
  "'; DROP TABLE cloudtrail; --",
  "a''b",
  'back\\slash\\',
  '100%_done',
  'line\nbreak\r\n',
  'close */ comment /* open',
  '-- not a comment',
  'ünïcödé 雪 🔑 \u202e',
  '"double" quotes',
  "\\'",
  '',
];

/** The literal as an expression string literal (JSON escapes are valid in ctq's strings). */
const literal = (value: string) => JSON.stringify(value);

describe('hostile literals', () => {
  test.each(HOSTILE)('in a struct comparison: %j', (value) => {
    const sql = statementFor({ matches: [`$.userIdentity.userName == ${literal(value)}`] });
    const parsed = parseTrino(sql);
    expect(parsed.errors).toEqual([]);
    expect(parsed.statements).toBe(1);
    expect(parsed.strings).toContain(value);
  });

  test.each(HOSTILE.filter((v) => v !== ''))('in a JSON-column comparison and a resources match: %j', (value) => {
    const sql = statementFor({
      matches: [`$.requestParameters.bucketName == ${literal(value)} or $.resources[*].ARN == ${literal(value)}`],
    });
    const parsed = parseTrino(sql);
    expect(parsed.errors).toEqual([]);
    expect(parsed.statements).toBe(1);
    expect(parsed.strings.filter((s) => s === value)).toHaveLength(2);
  });

  test.each(HOSTILE)('in contains, startswith, endswith and in: %j', (value) => {
    const v = literal(value);
    const sql = statementFor({ matches: [`$.userAgent contains ${v} or $.requestParameters.key startswith ${v} or $.resources[*].ARN endswith ${v} or $.eventName in [${v}, "other"]`] });
    const parsed = parseTrino(sql);
    expect(parsed.errors, sql).toEqual([]);
    expect(parsed.statements).toBe(1);
    expect(parsed.strings).toContain(value);
    // In a LIKE pattern `%`, `_` and `\` are escaped (ESCAPE '\'); removing the escapes gives the literal back.
    const like = value.replace(/[\\%_]/g, '\\$&');
    expect(parsed.strings).toContain(`${like}%`);
    expect(parsed.strings).toContain(`%${like}`);
    expect(like.replace(/\\(.)/gs, '$1')).toBe(value);
  });

  test.each(HOSTILE)('in the case-insensitive forms, lowered when ASCII and not pushed otherwise: %j', (value) => {
    const v = literal(value);
    const text = `$.userAgent contains~ ${v} or $.eventName =~ ${v} or $.eventName in~ [${v}] or $.userAgent endswith~ ${v}`;
    if (!/^[\x00-\x7f]*$/.test(value)) {
      expect(pushed(text)).toBeNull();
      return;
    }
    const sql = statementFor({ matches: [text] });
    const parsed = parseTrino(sql);
    expect(parsed.errors, sql).toEqual([]);
    expect(parsed.statements).toBe(1);
    expect(parsed.strings).toContain(value.toLowerCase());
  });

  test('a lone surrogate (which has no UTF-8 form for Trino) is not pushed', () => {
    expect(pushed('$.userAgent contains "\\ud83d"')).toBeNull();
    expect(pushed('$.eventName in ["\\udc00"]')).toBeNull();
    expect(pushed('$.eventName == "a\\ud83d"')).toBeNull();
  });

  test('as regex literals, the required substring survives intact', () => {
    const condition = pushed(String.raw`$.userAgent regex /it's -- \*\/ 100%_/`);
    expect(condition).toBe(`strpos(useragent, 'it''s -- */ 100%_') > 0`);
    expect(parseTrino(statementFor({ matches: [String.raw`$.userAgent regex /it's -- \*\/ 100%_/`] })).strings).toContain("it's -- */ 100%_");
  });

  test('as chainOf() round values', () => {
    const result = chainStatements(
      { table: sqlTableName('db.t')!, window: { fromMs: null, toMs: null }, deliveryMarginHours: 24, accounts: [], regions: [] },
      'Username',
      HOSTILE,
    );
    if (!result.ok) throw new Error(result.message);
    for (const sql of result.statements) {
      const parsed = parseTrino(sql);
      expect(parsed.errors).toEqual([]);
      expect(parsed.statements).toBe(1);
      for (const value of HOSTILE) expect(parsed.strings).toContain(value);
    }
  });

  test('a hostile table name is quoted as one identifier', () => {
    const table = sqlTableName('db.t"; DROP TABLE x; --')!;
    const sql = `SELECT 1 FROM ${table}`;
    expect(parseTrino(sql)).toMatchObject({ errors: [], statements: 1 });
  });
});
