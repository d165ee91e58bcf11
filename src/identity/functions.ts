/**
 * The identity layer's implementations of the language's `session()` and `chainOf(x)`
 * (signatures in src/language/functions.ts).
 */
import type { FunctionImplementation, FunctionImplementations } from '../language/functions';
import type { IdentityGraph } from './graph';
import { sessionKeyOf } from './session-key';

/** A `chainOf` argument the graph cannot read; the compiler should call `graph.chainMatcher` first to report it with a caret. */
export class ChainArgumentError extends Error {
  override readonly name = 'ChainArgumentError';
}

/**
 * `session()` always (from the event alone without a graph, graph-resolved with one); `chainOf()`
 * only with a graph, since a chain needs the first pass.
 */
export function identityFunctions(graph: IdentityGraph | null): FunctionImplementations {
  const session: FunctionImplementation = (event) => (graph ? graph.sessionOf(event) : sessionKeyOf(event));
  if (!graph) return new Map([['session', session]]);
  const matchers = new Map<string, (event: Parameters<FunctionImplementation>[0]) => boolean>();
  const chainOf: FunctionImplementation = (event, args) => {
    const x = args[0];
    if (typeof x !== 'string') throw new ChainArgumentError('chainOf(x): x must be a string literal');
    let matches = matchers.get(x);
    if (!matches) {
      const result = graph.chainMatcher(x);
      if (!result.ok) throw new ChainArgumentError(result.message);
      matches = result.matches;
      matchers.set(x, matches);
    }
    return matches(event);
  };
  return new Map([
    ['session', session],
    ['chainOf', chainOf],
  ]);
}
