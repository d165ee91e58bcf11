/**
 * A detection rule as plain data: what `--rules` files and `--sigma` rules both become. Plain so that
 * worker threads can compile their own copy (see src/query/scan-protocol.ts).
 */

export interface RuleSpec {
  readonly id: string;
  readonly title: string;
  /** IAM actions (`s3:Get*`, `*:*`) as on the command line; ORed. */
  readonly actions: readonly string[];
  /** Expressions in ctq's language; ANDed. */
  readonly matches: readonly string[];
  readonly severity?: string;
  readonly tags?: readonly string[];
  /** When set, the rule fires on N matching events sharing a key inside a window instead of on each event. */
  readonly threshold?: ThresholdSpec;
}

export interface ThresholdSpec {
  /** JSONPaths (or `session()`) whose values together make the key; none: one key for every event. */
  readonly countBy: readonly string[];
  /** Fires when at least this many events (or distinct `distinct` values) share a key inside the window. */
  readonly threshold: number;
  readonly windowMs: number;
  /** Count distinct values of this path instead of events. */
  readonly distinct?: string;
}

/** Where a rule (or one of its parts) was written: `file:line:column`, 1-based. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export function formatPosition(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}
