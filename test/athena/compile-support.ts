/** Shared by the Athena compiler tests: expressions and actions as the CLI would parse them. */
import { compileQueryStatement, pushExpression, sqlTableName, type QueryInput } from '../../src/athena-sql';
import { parseExpression } from '../../src/language';
import type { Expr } from '../../src/language/ast';
import { parseActions } from '../../src/selection';

export function expr(text: string): Expr {
  const parsed = parseExpression(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.expr;
}

export function pushed(text: string): string | null {
  return pushExpression(expr(text));
}

export function statementFor(options: {
  actions?: string[];
  matches?: string[];
  fromMs?: number | null;
  toMs?: number | null;
  accounts?: string[];
  regions?: string[];
}): string {
  const parsed = parseActions(options.actions ?? []);
  if (!parsed.ok) throw new Error(parsed.message);
  const input: QueryInput = {
    table: sqlTableName('cloudtrail.org_trail')!,
    window: { fromMs: options.fromMs ?? null, toMs: options.toMs ?? null },
    deliveryMarginHours: 24,
    accounts: options.accounts ?? [],
    regions: options.regions ?? [],
    actions: parsed.selection.actions,
    expressions: (options.matches ?? []).map(expr),
  };
  return compileQueryStatement(input);
}
