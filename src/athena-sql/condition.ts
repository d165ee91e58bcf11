/**
 * A pushed condition: SQL text that is TRUE for every event ctq's predicate accepts (and perhaps for
 * more), or `null` when nothing can be pushed (no restriction). "TRUE for every accepted event"
 * includes three-valued logic: a condition that comes out NULL for an accepted event would drop it,
 * so every building block is written to be TRUE, not NULL, where ctq says true.
 */
export type Superset = string | null;

/** Every part must hold; parts that push nothing drop out. */
export function allOf(parts: readonly Superset[]): Superset {
  return joined(parts.filter((part): part is string => part !== null), ' AND ');
}

/** One part must hold: if any part pushes nothing, nothing is pushed (that branch may accept anything). */
export function anyOf(parts: readonly Superset[]): Superset {
  if (parts.length === 0 || parts.some((part) => part === null)) return null;
  return joined(distinct(parts as readonly string[]), ' OR ');
}

/**
 * The parts, each parenthesized, with `operator` between; a single part as it is. Built with `+`, not
 * `join`: a long chain of `and` folds into a condition per level, and `+` links the strings where
 * `join` would copy the whole left side again at every level (quadratic in the expression's length).
 */
function joined(parts: readonly string[], operator: string): Superset {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  let sql = parenthesized(parts[0]!);
  for (let i = 1; i < parts.length; i++) sql = sql + operator + parenthesized(parts[i]!);
  return sql;
}

/** The parts without repeats, in order. Lengths first: comparing (or hashing) a long chain's text flattens it. */
function distinct(parts: readonly string[]): string[] {
  const kept: string[] = [];
  for (const part of parts) if (!kept.some((other) => other.length === part.length && other === part)) kept.push(part);
  return kept;
}

/** Parenthesized whenever it is combined: precedence never depends on what a part holds. */
function parenthesized(sql: string): string {
  return '(' + sql + ')';
}
