/**
 * The functions the language knows by name. The language core checks names, arity and argument
 * shapes; what a function computes is supplied at compile time by whoever owns that knowledge
 * (the identity layer for `session()` and `chainOf()`), so the core stays free of AWS concepts.
 */
import type { JsonObject, JsonValue } from './json';

export type ArgumentRule = 'any' | 'string-literal';

export interface FunctionSignature {
  readonly name: string;
  readonly args: readonly ArgumentRule[];
  /** What the call yields, for the type check (e.g. `regex` needs something that can be a string). */
  readonly returns: 'string-or-null' | 'boolean';
  readonly summary: string;
}

export const FUNCTION_SIGNATURES: ReadonlyMap<string, FunctionSignature> = new Map([
  [
    'session',
    {
      name: 'session',
      args: [],
      returns: 'string-or-null',
      summary: "the event's session key (see grammar/identity.md)",
    },
  ],
  [
    'chainOf',
    {
      name: 'chainOf',
      args: ['string-literal'],
      returns: 'boolean',
      summary: 'true for events of the session(s) named by the argument, their descendants, and the hops leading to them',
    },
  ],
]);

/** A compiled function body: evaluated per event with its already-evaluated arguments. */
export type FunctionImplementation = (event: JsonObject, args: readonly JsonValue[]) => JsonValue;

/** Implementations by name; a checked call whose implementation is absent is a compile error. */
export type FunctionImplementations = ReadonlyMap<string, FunctionImplementation>;
