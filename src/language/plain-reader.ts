/**
 * Direct property access for plain paths (only members and non-negative indexes): the hot path of
 * every predicate, with no jsonpath-plus and no allocation per event.
 */
import type { PlainStep } from './ast';
import type { JsonObject, JsonValue } from './json';

type Step = (value: JsonValue) => JsonValue;

/** Direct property access for a plain path; a missing member or index reads as `null`. */
export function plainReader(steps: readonly PlainStep[]): (value: JsonValue) => JsonValue {
  const compiled = steps.map(compileStep);
  const [a, b, c] = compiled;
  switch (compiled.length) {
    case 0:
      return (value) => value;
    case 1:
      return a as Step;
    case 2: {
      const first = a as Step;
      const second = b as Step;
      return (value) => second(first(value));
    }
    case 3: {
      const first = a as Step;
      const second = b as Step;
      const third = c as Step;
      return (value) => third(second(first(value)));
    }
    default:
      return (start) => {
        let value: JsonValue = start;
        for (const step of compiled) value = step(value);
        return value;
      };
  }
}

/** Names an object or array inherits (`constructor`, `length`, `toString`…) must not read as present. */
export const inherited = (name: string): boolean => name in Object.prototype || name in Array.prototype;

function compileStep(step: PlainStep): Step {
  if (step.kind === 'index') {
    const index = step.index;
    return (value) => (Array.isArray(value) ? ((value[index] as JsonValue | undefined) ?? null) : null);
  }
  const name = step.name;
  if (inherited(name)) {
    return (value) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, name) ? (value[name] as JsonValue) : null;
  }
  return (value) => {
    if (typeof value !== 'object' || value === null) return null;
    const found = (value as JsonObject)[name];
    return found === undefined ? null : found;
  };
}
