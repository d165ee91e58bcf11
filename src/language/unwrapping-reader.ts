/**
 * Paths of member names, indexes and `[]` (`$.requestParameters.ipPermissions.items[].fromPort`), read
 * by direct property access like plain paths, without jsonpath-plus. `[]` unwraps: a list stands for
 * its elements (and those of lists inside it), any other value for itself. So the path reads the same
 * whether a member holds one object or a list of them, which is how CloudTrail logs many request
 * members (`items[]` in EC2, `Statement` and `Action` in IAM policies) and how Sigma's dotted fields
 * read (see src/sigma/field-test.ts).
 *
 * The reader is a visitor, not a list: it hands each selected value to a callback and stops at the
 * first one the callback accepts, so a path that meets no list costs a property walk and one call,
 * with nothing allocated per event.
 */
import type { JsonObject, JsonValue } from './json';
import type { PathSegment } from './path';
import { inherited } from './plain-reader';

export type UnwrapStep =
  | { readonly kind: 'member'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'unwrap' };

/**
 * Hands `visit` each value the path selects in `value`, in document order, until `visit` returns true;
 * returns whether it did. A missing member or index selects nothing (as under a wildcard), an explicit
 * `null` selects `null`.
 */
export type PathVisitor = (value: JsonValue, visit: (selected: JsonValue) => boolean) => boolean;

/** The steps when the path has a `[]` and otherwise only members and indexes; null when it has no `[]`. */
export function unwrapStepsOf(segments: readonly PathSegment[]): { readonly steps: UnwrapStep[] } | { readonly problem: PathSegment } | null {
  if (!segments.some((segment) => segment.kind === 'unwrap')) return null;
  const steps: UnwrapStep[] = [];
  for (const segment of segments) {
    if (segment.kind === 'member') steps.push({ kind: 'member', name: segment.name });
    else if (segment.kind === 'index') steps.push({ kind: 'index', index: segment.index });
    else if (segment.kind === 'unwrap') steps.push({ kind: 'unwrap' });
    else return { problem: segment };
  }
  return { steps };
}

type Continue = (value: JsonValue, visit: (selected: JsonValue) => boolean) => boolean;

/** Hands the value over: what reads past the last step. */
const handOver: Continue = (value, visit) => visit(value);

export function unwrappingVisitor(steps: readonly UnwrapStep[]): PathVisitor {
  // from[i] reads steps i… of the path.
  const from: Continue[] = [];
  from[steps.length] = handOver;
  for (let i = steps.length - 1; i >= 0; i--) from[i] = compileStep(steps[i] as UnwrapStep, from[i + 1] as Continue, steps[i + 1]?.kind === 'unwrap' ? (from[i + 2] as Continue) : null);
  return from[0] as Continue;
}

/** Every value the path selects, in document order (empty when none). */
export function collectingReader(visitor: PathVisitor): (value: JsonValue) => JsonValue[] {
  return (value) => {
    const selected: JsonValue[] = [];
    visitor(value, (one) => {
      selected.push(one);
      return false;
    });
    return selected;
  };
}


/**
 * One step, given what reads the rest. `afterUnwrap` is set when the next step is `[]`: a member then
 * looks at what it found itself and calls past the `[]` for a value that is no list, one call per
 * step on the common path rather than two.
 */
function compileStep(step: UnwrapStep, next: Continue, afterUnwrap: Continue | null): Continue {
  switch (step.kind) {
    case 'unwrap': {
      const spread: Continue = (value, visit) => {
        if (!Array.isArray(value)) return next(value, visit);
        for (const element of value) if (spread(element, visit)) return true;
        return false;
      };
      return spread;
    }
    case 'index': {
      const index = step.index;
      return (value, visit) => Array.isArray(value) && index < value.length && next(value[index] as JsonValue, visit);
    }
    case 'member': {
      const name = step.name;
      if (inherited(name)) {
        return (value, visit) =>
          typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, name) && next(value[name] as JsonValue, visit);
      }
      if (afterUnwrap === handOver) {
        // The path ends in this member and `[]`: the value goes to the caller without one more call.
        return (value, visit) => {
          if (typeof value !== 'object' || value === null) return false;
          const found = (value as JsonObject)[name];
          if (found === undefined) return false;
          return Array.isArray(found) ? next(found, visit) : visit(found);
        };
      }
      if (afterUnwrap !== null) {
        return (value, visit) => {
          if (typeof value !== 'object' || value === null) return false;
          const found = (value as JsonObject)[name];
          if (found === undefined) return false;
          return Array.isArray(found) ? next(found, visit) : afterUnwrap(found, visit);
        };
      }
      return (value, visit) => {
        if (typeof value !== 'object' || value === null) return false;
        const found = (value as JsonObject)[name];
        return found !== undefined && next(found, visit);
      };
    }
  }
}
