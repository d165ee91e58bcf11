/** Value semantics of the language: deep equality without coercion, and what counts as "true". */
import type { JsonValue } from './json';

/**
 * Structural equality with no type coercion: `"1"` never equals `1`; objects compare key-order-
 * insensitively; lists compare element by element, in order.
 */
export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i] as JsonValue, b[i] as JsonValue)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !deepEqual(a[key] as JsonValue, b[key] as JsonValue)) return false;
  }
  return true;
}

/** A bare operand holds when its value is present: anything but `null` (which missing also reads as) and `false`. */
export function isPresent(value: JsonValue): boolean {
  return value !== null && value !== false;
}
