/**
 * The SELECT ctq sends to Athena: the `"$path"` (the S3 object) and `eventid` of every row that can
 * match — the action selection, the `--match` expressions and the window pushed as supersets. Athena
 * never decides: ctq reads those objects and keeps exactly the events whose eventID Athena returned
 * and that the full query accepts.
 */
import type { Expr } from '../language/ast';
import type { SelectedAction } from '../selection';
import { allOf, type Superset } from './condition';
import { pushExpression } from './expression';
import { pushSelection } from './selection';
import { sqlIdentifier, sqlString } from './sql-text';
import { PARTITION } from './trail-table';
import type { TimeWindow } from '../time/window';
import { partitionDays, pushWindow } from './window';

export interface StatementInput {
  /** The table, already quoted (see `sqlTableName`). */
  readonly table: string;
  readonly window: TimeWindow;
  readonly deliveryMarginHours: number;
  /** Partition values to read; empty = every one the projection knows. */
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

export interface QueryInput extends StatementInput {
  readonly actions: readonly SelectedAction[];
  readonly expressions: readonly Expr[];
}

export interface PartitionEstimate {
  /** Date folders; null when the window is open on a side (every day the projection has). */
  readonly days: number | null;
  /** null = every account (or region) of the projection. */
  readonly accounts: number | null;
  readonly regions: number | null;
}

export function compileQueryStatement(input: QueryInput): string {
  const expressions = input.expressions.map(pushExpression);
  return selectStatement(input, [pushSelection(input.actions), ...expressions]);
}

export function estimatePartitions(input: StatementInput): PartitionEstimate {
  const days = partitionDays(input.window, input.deliveryMarginHours);
  return {
    days: days === null ? null : days.length,
    accounts: input.accounts.length === 0 ? null : input.accounts.length,
    regions: input.regions.length === 0 ? null : input.regions.length,
  };
}

export function selectStatement(input: StatementInput, conditions: readonly Superset[]): string {
  const where = allOf([
    input.accounts.length === 0 ? null : `${sqlIdentifier(PARTITION.account)} IN (${input.accounts.map(sqlString).join(', ')})`,
    input.regions.length === 0 ? null : `${sqlIdentifier(PARTITION.region)} IN (${input.regions.map(sqlString).join(', ')})`,
    pushWindow(input.window, input.deliveryMarginHours),
    ...conditions,
  ]);
  return `SELECT DISTINCT "$path", eventid\nFROM ${input.table}${where === null ? '' : `\nWHERE ${where}`}`;
}

