/** Value semantics of the language: deep equality without coercion, and what counts as "true". */
import type { JsonValue } from './json';

/**
 * Structural equality with no type coercion: `"1"` never equals `1`; objects compare key-order-
 * insensitively; lists compare element by element, in order.
 */
export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  return structurallyEqual(a, b, false);
}

/**
 * `=~`: deep equality in which strings compare ignoring case (JavaScript's locale-independent
 * `toLowerCase`, Unicode's default case mapping). Everything else is as `deepEqual`.
 */
export function equalIgnoringCase(a: JsonValue, b: JsonValue): boolean {
  return structurallyEqual(a, b, true);
}

function structurallyEqual(a: JsonValue, b: JsonValue, ignoreCase: boolean): boolean {
  if (a === b) return true;
  if (typeof a === 'string') return ignoreCase && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!structurallyEqual(a[i] as JsonValue, b[i] as JsonValue, ignoreCase)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.hasOwn(b, key) || !structurallyEqual(a[key] as JsonValue, b[key] as JsonValue, ignoreCase)) return false;
  }
  return true;
}

/** A bare operand holds when its value is present: anything but `null` (which missing also reads as) and `false`. */
export function isPresent(value: JsonValue): boolean {
  return value !== null && value !== false;
}

/** The value with every string in it lower-cased: what `in~` looks up. */
export function lowerStrings(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(lowerStrings);
  const out: Record<string, JsonValue> = {};
  for (const [key, inner] of Object.entries(value)) Object.defineProperty(out, key, { value: lowerStrings(inner), enumerable: true, writable: true, configurable: true });
  return out;
}
