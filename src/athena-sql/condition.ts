/**
 * A pushed condition: SQL text that is TRUE for every event ctq's predicate accepts (and perhaps for
 * more), or `null` when nothing can be pushed (no restriction). "TRUE for every accepted event"
 * includes three-valued logic: a condition that comes out NULL for an accepted event would drop it,
 * so every building block is written to be TRUE, not NULL, where ctq says true.
 */
export type Superset = string | null;

/** Every part must hold; parts that push nothing drop out. */
export function allOf(parts: readonly Superset[]): Superset {
  const pushed = parts.filter((part): part is string => part !== null);
  if (pushed.length === 0) return null;
  if (pushed.length === 1) return pushed[0]!;
  return pushed.map(parenthesized).join(' AND ');
}

/** One part must hold: if any part pushes nothing, nothing is pushed (that branch may accept anything). */
export function anyOf(parts: readonly Superset[]): Superset {
  if (parts.length === 0 || parts.some((part) => part === null)) return null;
  const pushed = [...new Set(parts as readonly string[])];
  if (pushed.length === 1) return pushed[0]!;
  return pushed.map(parenthesized).join(' OR ');
}

/** Parenthesized whenever it is combined: precedence never depends on what a part holds. */
function parenthesized(sql: string): string {
  return `(${sql})`;
}
