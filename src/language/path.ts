/**
 * JSONPath operands: how far a path reaches in the expression text (the lexer's custom matcher), and
 * what it is made of (segments). A path made only of member names and non-negative indexes is
 * "plain": it selects at most one value and compiles to direct property access. A path of members,
 * indexes and `[]` (unwrap: a list's elements, any other value itself) is read by unwrapping-reader.ts;
 * `[]` is ctq's, not JSONPath's. Everything else (wildcards, `..`, filters, slices, unions) is handed
 * to jsonpath-plus as a whole.
 */
import type { PlainStep, Span } from './ast';
import { decodeQuoted } from './strings';

export type PathSegment =
  | { readonly kind: 'member'; readonly name: string; readonly span: Span }
  | { readonly kind: 'index'; readonly index: number; readonly span: Span }
  | { readonly kind: 'wildcard'; readonly span: Span }
  | { readonly kind: 'descent'; readonly span: Span }
  /** `[]`: the elements of a list (and of lists inside it), or the value itself when it is not a list. */
  | { readonly kind: 'unwrap'; readonly span: Span }
  /** Bracket content jsonpath-plus understands and we do not evaluate: `?(…)`, `(…)`, `0:2`, `0,1`, `-1`. */
  | { readonly kind: 'selector'; readonly text: string; readonly span: Span };

export type PathParse =
  | { readonly ok: true; readonly segments: readonly PathSegment[]; readonly steps: readonly PlainStep[] | null }
  | { readonly ok: false; readonly message: string; readonly span: Span; readonly hint?: string };

const NAME_CHAR = /[\p{L}\p{N}_$-]/u;

/**
 * The lexer's matcher for a path starting at `offset`: `$` then `.name`, `..name`, `.*`, `[…]`
 * segments. Brackets are matched with quotes and nesting in mind, so a filter such as
 * `[?(@.type == 'a b')]` stays inside the token. An unclosed bracket swallows the rest of the text;
 * `parsePath` then reports it with a precise position.
 */
export function matchPathToken(text: string, offset: number): [string] | null {
  if (text.charCodeAt(offset) !== 0x24 /* $ */) return null;
  let i = offset + 1;
  for (;;) {
    const c = text[i];
    if (c === '.') {
      i++;
      if (text[i] === '.') i++;
      if (text[i] === '*') i++;
      else while (i < text.length && NAME_CHAR.test(text[i] as string)) i++;
    } else if (c === '[') {
      const close = skipBracket(text, i);
      i = close === -1 ? text.length : close;
    } else {
      break;
    }
  }
  return [text.slice(offset, i)];
}

/** Index just past the `]` that closes the `[` at `open` (quotes and nesting respected), or -1. */
function skipBracket(text: string, open: number): number {
  const closers: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = skipQuoted(text, i);
    } else if (c === '[') {
      closers.push(']');
    } else if (c === '(') {
      closers.push(')');
    } else if (c === ']' || c === ')') {
      if (closers.pop() !== c) return -1;
      if (closers.length === 0) return i + 1;
    }
  }
  return -1;
}

/** Index of the quote closing the one at `open` (backslash escapes skipped), or the text's length. */
function skipQuoted(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return text.length;
}

/** Splits a path token (as matched above, starting at `offset` in the expression) into segments. */
export function parsePath(text: string, offset: number): PathParse {
  const segments: PathSegment[] = [];
  const at = (start: number, end: number): Span => ({ start: offset + start, end: offset + end });
  let i = 1;
  while (i < text.length) {
    const start = i;
    if (text[i] === '.') {
      i++;
      if (text[i] === '.') {
        i++;
        segments.push({ kind: 'descent', span: at(start, i) });
        if (text[i] === '[') continue;
      }
      if (text[i] === '*') {
        i++;
        segments.push({ kind: 'wildcard', span: at(start, i) });
        continue;
      }
      const nameStart = i;
      while (i < text.length && NAME_CHAR.test(text[i] as string)) i++;
      if (i === nameStart) {
        return { ok: false, message: `expected a member name after '${text.slice(start, i)}' in the path`, span: at(start, i) };
      }
      segments.push({ kind: 'member', name: text.slice(nameStart, i), span: at(nameStart, i) });
      continue;
    }
    // The matcher only stops inside a path at '.' or '['.
    const close = skipBracket(text, i);
    if (close === -1) return { ok: false, message: "unclosed '[' in the path", span: at(i, i + 1) };
    const inner = text.slice(i + 1, close - 1).trim();
    const span = at(start, close);
    i = close;
    if (inner === '') {
      segments.push({ kind: 'unwrap', span });
    } else if (inner === '*') {
      segments.push({ kind: 'wildcard', span });
    } else if (/^\d+$/.test(inner)) {
      segments.push({ kind: 'index', index: Number(inner), span });
    } else if ((inner.startsWith("'") || inner.startsWith('"')) && skipQuoted(inner, 0) === inner.length - 1) {
      const name = decodeQuoted(inner);
      if (!name.ok) return { ok: false, message: name.message, hint: name.hint, span };
      segments.push({ kind: 'member', name: name.value, span });
    } else {
      segments.push({ kind: 'selector', text: inner, span });
    }
  }
  return { ok: true, segments, steps: plainSteps(segments) };
}

function plainSteps(segments: readonly PathSegment[]): PlainStep[] | null {
  const steps: PlainStep[] = [];
  for (const segment of segments) {
    if (segment.kind === 'member') steps.push({ kind: 'member', name: segment.name });
    else if (segment.kind === 'index') steps.push({ kind: 'index', index: segment.index });
    else return null;
  }
  return steps;
}
