/**
 * Paths that may select several values, checked before any event is read and compiled once: a path
 * with `[]` is read by unwrapping-reader.ts (direct property access), any other one by jsonpath-plus
 * (path-query.ts). `[]` is ctq's own step, so it cannot share a path with what only jsonpath-plus reads.
 */
import type { PathSegment } from './path';
import { checkPathForJsonPathPlus, createPathQuery, type PathCheck, type PathQuery } from './path-query';
import { collectingReader, unwrappingVisitor, unwrapStepsOf, type PathVisitor } from './unwrapping-reader';

export interface MultiValuePath {
  /** Every value the path selects, in document order (empty when none). */
  readonly read: PathQuery;
  /** The same values handed one by one to a callback, with no list built; null for jsonpath-plus paths. */
  readonly visit: PathVisitor | null;
}

export function checkMultiValuePath(segments: readonly PathSegment[]): PathCheck {
  const unwrapping = unwrapStepsOf(segments);
  if (unwrapping === null) return checkPathForJsonPathPlus(segments);
  if ('problem' in unwrapping) {
    return {
      ok: false,
      message: "a path with '[]' may hold only member names, indexes and more '[]': '[]' cannot be combined with wildcards, '..', filters, slices or unions",
      span: unwrapping.problem.span,
    };
  }
  return { ok: true };
}

/** Compiles a checked path (see `checkMultiValuePath`). */
export function compileMultiValuePath(segments: readonly PathSegment[]): MultiValuePath {
  const unwrapping = unwrapStepsOf(segments);
  if (unwrapping === null) return { read: createPathQuery(segments), visit: null };
  if ('problem' in unwrapping) throw new Error('unchecked path reached the compiler');
  const visit = unwrappingVisitor(unwrapping.steps);
  return { read: collectingReader(visit), visit };
}
