import { describe, expect, test } from 'vitest';
import { chainStatements, MAX_QUERY_BYTES, sqlTableName, type StatementInput } from '../../src/athena-sql';
import { parseTrino } from './sql-grammar';

const input: StatementInput = {
  table: sqlTableName('cloudtrail.org_trail')!,
  window: { fromMs: Date.parse('2025-12-01T00:00:00Z'), toMs: Date.parse('2025-12-01T23:59:59Z') },
  deliveryMarginHours: 24,
  accounts: [],
  regions: [],
};

describe('chainOf() round statements', () => {
  test('hops by eventname IN, sessions by accesskeyid IN, names by user or session name (golden)', () => {
    const hops = chainStatements(input, 'EventName', ['AssumeRole', 'ConsoleLogin']);
    const keys = chainStatements(input, 'AccessKeyId', ['ASIA1', 'ASIA2']);
    const names = chainStatements(input, 'Username', ['alice']);
    const window = `("timestamp" >= '2025/12/01') AND ("timestamp" <= '2025/12/02') AND (substr(eventtime, 1, 19) >= '2025-12-01T00:00:00') AND (substr(eventtime, 1, 19) <= '2025-12-01T23:59:59')`;
    const head = 'SELECT DISTINCT "$path", eventid\nFROM "cloudtrail"."org_trail"\nWHERE ';
    expect(hops).toEqual({ ok: true, statements: [`${head}(${window}) AND (eventname IN ('AssumeRole', 'ConsoleLogin'))`] });
    expect(keys).toEqual({ ok: true, statements: [`${head}(${window}) AND (useridentity.accesskeyid IN ('ASIA1', 'ASIA2'))`] });
    expect(names).toEqual({
      ok: true,
      statements: [`${head}(${window}) AND (useridentity.username IN ('alice') OR element_at(split(useridentity.arn, '/'), -1) IN ('alice'))`],
    });
    for (const result of [hops, keys, names]) if (result.ok) for (const sql of result.statements) expect(parseTrino(sql).errors).toEqual([]);
  });

  test("a long list is split so every statement fits Athena's query-string limit, each value asked once", () => {
    const keys = Array.from({ length: 30_000 }, (_, i) => `ASIA${String(i).padStart(16, '0')}`);
    const result = chainStatements(input, 'AccessKeyId', keys);
    if (!result.ok) throw new Error(result.message);
    expect(result.statements.length).toBeGreaterThan(1);
    for (const sql of result.statements) expect(Buffer.byteLength(sql, 'utf8')).toBeLessThanOrEqual(MAX_QUERY_BYTES);
    const asked = result.statements.flatMap((sql) => [...sql.matchAll(/'(ASIA\d+)'/g)].map((m) => m[1]));
    expect(asked.sort()).toEqual([...keys].sort());
  });

  test('the limit counts UTF-8 bytes, not characters', () => {
    const names = Array.from({ length: 50 }, (_, i) => `雪${i}`.repeat(20));
    const limit = 2_000;
    const result = chainStatements(input, 'Username', names, limit);
    if (!result.ok) throw new Error(result.message);
    for (const sql of result.statements) expect(Buffer.byteLength(sql, 'utf8')).toBeLessThanOrEqual(limit);
    expect(result.statements.length).toBeGreaterThan(5);
  });

  test('a value that cannot fit alone is an error, not a silent drop', () => {
    expect(chainStatements(input, 'AccessKeyId', ['x'.repeat(5_000)], 2_000)).toMatchObject({ ok: false });
  });
});
