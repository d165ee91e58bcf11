/**
 * The functions the language knows by name. The language core checks names, arity and argument
 * shapes. Value functions (`lower`, `upper`, `len`, `cidr`, `json`) are built in (builtins.ts);
 * what the identity functions compute is supplied at compile time by whoever owns that knowledge
 * (the identity layer for `session()` and `chainOf()`), so the core stays free of AWS concepts.
 */
import type { JsonObject, JsonValue } from './json';

export type ArgumentRule = 'any' | 'string-literal';

export interface FunctionSignature {
  readonly name: string;
  readonly args: readonly ArgumentRule[];
  /** How many of `args` must be given; the rest are optional. */
  readonly required: number;
  /** What the call yields, for the type check (e.g. `regex` needs something that can be a string). */
  readonly returns: 'string-or-null' | 'number-or-null' | 'boolean' | 'any';
  /** Built into the language (builtins.ts) rather than supplied by the caller. */
  readonly builtin: boolean;
  readonly summary: string;
}

type Origin = 'builtin' | 'supplied';

const signature = (
  origin: Origin,
  name: string,
  args: readonly ArgumentRule[],
  returns: FunctionSignature['returns'],
  summary: string,
  required = args.length,
): [string, FunctionSignature] => [name, { name, args, required, returns, builtin: origin === 'builtin', summary }];

export const FUNCTION_SIGNATURES: ReadonlyMap<string, FunctionSignature> = new Map([
  signature('supplied', 'session', [], 'string-or-null', "the event's session key (see grammar/identity.md)"),
  signature('supplied', 'chainOf', ['string-literal'], 'boolean', 'true for events of the session(s) named by the argument, their descendants, and the hops leading to them'),
  signature('builtin', 'lower', ['any'], 'string-or-null', 'the string in lower case; null for anything else'),
  signature('builtin', 'upper', ['any'], 'string-or-null', 'the string in upper case; null for anything else'),
  signature('builtin', 'len', ['any'], 'number-or-null', 'characters in a string, elements in a list, members in an object; 0 for null; null otherwise'),
  signature('builtin', 'cidr', ['any', 'string-literal'], 'boolean', 'true when the value is an IPv4 or IPv6 address inside the CIDR block'),
  signature('builtin', 'json', ['any', 'string-literal'], 'any', 'the JSON a string encodes (null if it is not JSON); with a path, what the path selects in it', 1),
]);

/** A compiled function body: evaluated per event with its already-evaluated arguments. */
export type FunctionImplementation = (event: JsonObject, args: readonly JsonValue[]) => JsonValue;

/** Implementations by name; a checked call whose implementation is absent is a compile error. */
export type FunctionImplementations = ReadonlyMap<string, FunctionImplementation>;
