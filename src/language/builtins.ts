/**
 * The value functions built into the language: `lower`, `upper`, `len`, `cidr`, `json`. Each applies
 * to one value at a time: given a path that selects several values, the call selects one result per
 * value (and a path that selects nothing is one `null`, as everywhere else). Constant arguments (the
 * CIDR block, the path inside `json`) are prepared once, and a bad one is an expression error with
 * its column, reported before any event is read.
 */
import ipaddr from 'ipaddr.js';
import type { LiteralOperand, Span } from './ast';
import { plainReader } from './plain-reader';
import type { JsonValue } from './json';
import { checkMultiValuePath, compileMultiValuePath } from './multi-value-path';
import { matchPathToken, parsePath } from './path';

/** What a prepared builtin does to each value: yield one value, or several (`json` with a wildcard path). */
export type PreparedBuiltin =
  | { readonly kind: 'one'; readonly apply: (value: JsonValue) => JsonValue }
  | { readonly kind: 'many'; readonly apply: (value: JsonValue) => JsonValue[] };

export type BuiltinPreparation = { readonly ok: true; readonly builtin: PreparedBuiltin } | { readonly ok: false; readonly message: string; readonly span: Span };

/** `constants` are the literal arguments after the first (checked to be string literals by then). */
export function prepareBuiltin(name: string, constants: readonly LiteralOperand[]): BuiltinPreparation | null {
  switch (name) {
    case 'lower':
      return one((value) => (typeof value === 'string' ? value.toLowerCase() : null));
    case 'upper':
      return one((value) => (typeof value === 'string' ? value.toUpperCase() : null));
    case 'len':
      return one(length);
    case 'cidr':
      return prepareCidr(constants[0] as LiteralOperand);
    case 'json':
      return prepareJson(constants[0]);
    default:
      return null;
  }
}

function one(apply: (value: JsonValue) => JsonValue): BuiltinPreparation {
  return { ok: true, builtin: { kind: 'one', apply } };
}

/** Characters (code points, as jq counts them) in a string, elements in a list, members in an object; null counts 0. */
function length(value: JsonValue): JsonValue {
  if (typeof value === 'string') {
    let count = 0;
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      // A surrogate pair is one character.
      if (code < 0xd800 || code > 0xdbff || i + 1 === value.length) count++;
      else {
        const next = value.charCodeAt(i + 1);
        count++;
        if (next >= 0xdc00 && next <= 0xdfff) i++;
      }
    }
    return count;
  }
  if (value === null) return 0;
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object') return Object.keys(value).length;
  return null;
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * `cidr(x, "10.0.0.0/8")`. CloudTrail's sourceIPAddress is an IPv4 or IPv6 address, or, for calls
 * AWS made on the caller's behalf, a service name such as `ec2.amazonaws.com`
 * (cloudtrail-event-reference-record-contents.md): anything that is not an address is false. Only
 * the four-part dotted form of IPv4 counts as an address (not `10.1` or `0x0a.0.0.1`, which
 * ipaddr.js would accept). An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is its IPv4 address.
 */
function prepareCidr(block: LiteralOperand): BuiltinPreparation {
  const text = block.value as string;
  const range = parseRange(text);
  if (range === null) {
    return { ok: false, message: `cidr() needs an IPv4 or IPv6 block such as "10.0.0.0/8" or "2001:db8::/32", not ${JSON.stringify(text)}`, span: block.span };
  }
  const [network, bits] = range;
  return one((value) => {
    if (typeof value !== 'string') return false;
    const address = parseAddress(value);
    if (address === null) return false;
    if (address.kind() === network.kind()) return address.match(network, bits);
    // An IPv4 address against an IPv6 block: compare as the IPv4-mapped address (::ffff:a.b.c.d).
    return address instanceof ipaddr.IPv4 ? address.toIPv4MappedAddress().match(network, bits) : false;
  });
}

function parseRange(text: string): [Address, number] | null {
  const slash = text.indexOf('/');
  // The block is taken as written: `::ffff:0:0/96` is an IPv6 block (which IPv4 addresses fall in).
  const address = parseAddress(slash === -1 ? text : text.slice(0, slash), false);
  if (address === null) return null;
  const max = address.kind() === 'ipv4' ? 32 : 128;
  if (slash === -1) return [address, max];
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  return bits <= max ? [address, bits] : null;
}

function parseAddress(text: string, unmap = true): Address | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes(':') || !ipaddr.IPv6.isValid(text)) return null;
  const v6 = ipaddr.IPv6.parse(text);
  return unmap && v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

/**
 * `json(x)` parses a JSON-encoded string: CloudTrail logs IAM policy documents
 * (`requestParameters.policyDocument` of CreatePolicy, PutRolePolicy, …) as one string holding the
 * JSON. A string that is not JSON yields null; a value that is not a string is passed through, so a
 * rule reads the same whether the field was logged encoded or not. `json(x, "$.path")` then selects
 * with a ctq path inside the parsed value (several values when the path is not plain).
 */
function prepareJson(pathLiteral: LiteralOperand | undefined): BuiltinPreparation {
  const decode = (value: JsonValue): JsonValue => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as JsonValue;
    } catch {
      return null;
    }
  };
  if (pathLiteral === undefined) return one(decode);
  const text = pathLiteral.value as string;
  // Offsets inside the literal: past its opening quote (exact when the path has no escapes).
  const parsed = parsePath(text, pathLiteral.span.start + 1);
  const at = pathLiteral.span;
  if (matchPathToken(text, 0)?.[0] !== text || !parsed.ok) {
    return { ok: false, message: `json() takes a ctq path as its second argument, e.g. "$.Statement[*].Effect"${parsed.ok ? '' : `: ${parsed.message}`}`, span: at };
  }
  if (parsed.steps !== null) {
    const read = plainReader(parsed.steps);
    return one((value) => {
      const decoded = decode(value);
      return typeof decoded === 'object' && decoded !== null ? read(decoded) : null;
    });
  }
  const checked = checkMultiValuePath(parsed.segments);
  if (!checked.ok) return { ok: false, message: `json(): ${checked.message}`, span: at };
  const query = compileMultiValuePath(parsed.segments).read;
  return {
    ok: true,
    builtin: {
      kind: 'many',
      apply: (value) => {
        const decoded = decode(value);
        return typeof decoded === 'object' && decoded !== null ? query(decoded) : [];
      },
    },
  };
}
