/**
 * The real grammars of dt-sql-parser (ANTLR4): TrinoSQL for the SELECTs ctq sends to Athena
 * (Athena engine v3 is Trino), HiveSQL for the DDL (Athena's DDL is Hive's). Used to show that a
 * generated statement is one statement, parses without error, and holds each literal as written.
 */
import { HiveSQL, TrinoSQL } from 'dt-sql-parser';
import { TrinoSqlLexer } from 'dt-sql-parser/dist/lib/trino/TrinoSqlLexer';

const trino = new TrinoSQL();
const hive = new HiveSQL();

export interface ParsedSql {
  readonly errors: readonly string[];
  readonly statements: number;
  /** The value of every plain string literal, unquoted (`''` → `'`), in order. */
  readonly strings: readonly string[];
}

export function parseTrino(sql: string): ParsedSql {
  const errors = trino.validate(sql).map((e) => `${e.startLine}:${e.startColumn} ${e.message}`);
  const statements = trino.splitSQLByStatement(sql)?.length ?? 0;
  const strings = trino
    .getAllTokens(sql)
    .filter((token) => token.type === TrinoSqlLexer.STRING)
    .map((token) => (token.text ?? '').slice(1, -1).replaceAll("''", "'"));
  return { errors, statements, strings };
}

export function parseHive(sql: string): ParsedSql {
  const errors = hive.validate(sql).map((e) => `${e.startLine}:${e.startColumn} ${e.message}`);
  const statements = hive.splitSQLByStatement(sql)?.length ?? 0;
  return { errors, statements, strings: [] };
}
