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
