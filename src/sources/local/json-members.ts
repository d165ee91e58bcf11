/**
 * A strict reading of one record's bytes, without decoding or parsing it: whether `JSON.parse` would
 * accept them as exactly one object, and where the values of some of its top-level members are. The
 * identity graph's first pass reads every record for a few members (identity-raw-read.ts); most
 * records it can then take without building them.
 *
 * SOUND the one way that matters: true only when `JSON.parse` of the bytes (decoded as UTF-8) gives
 * one object, nested at most `maxDepth` deep, whose named members are the spans found. Anything this
 * reading does not follow to the letter answers false, and the record takes the ordinary path: a
 * backslash anywhere (an escape could spell a key another way), a named key found twice at the top
 * (`JSON.parse` keeps the last), bytes past the object. The grammar is RFC 8259's, as V8 applies it:
 * whitespace is space, tab, CR, LF; a string holds no raw control character; numbers are
 * `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`. Bytes of 0x80 and up are taken as they are inside strings
 * (invalid UTF-8 decodes to U+FFFD there, which JSON accepts) and refused outside them.
 */
import { occursAt } from './byte-needle';
import { skipJsonSpace } from './json-scan';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const TRUE = bytesOf('true');
const FALSE = bytesOf('false');
const NULL = bytesOf('null');

/** The top-level members a reading looks for, by name. */
export class MemberNames {
  readonly names: readonly Uint8Array[];

  constructor(readonly list: readonly string[]) {
    // Only ASCII names: a key is compared byte for byte, and keys with escapes are refused.
    if (list.some((name) => !/^[\x20-\x7e]*$/.test(name) || name.includes('"') || name.includes('\\'))) throw new Error('member names must be plain ASCII');
    this.names = list.map(bytesOf);
  }

  /** Room for where each named member's value starts and ends (`-1` when absent). */
  spans(): Int32Array {
    return new Int32Array(this.names.length * 2);
  }

  /** The index of the name spelled by bytes `start..end`, or -1. */
  indexOf(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    for (let i = 0; i < this.names.length; i++) {
      const name = this.names[i]!;
      if (name.length !== length) continue;
      let k = 0;
      while (k < length && bytes[start + k] === name[k]) k++;
      if (k === length) return i;
    }
    return -1;
  }
}

/** The container kinds open at each depth, shared by every reading (one thread reads one record at a time). */
let containers = new Uint8Array(64);

/**
 * Reads the object at `start..end` (its first byte `{`, its last `}`, as the reader's fast path has
 * it). True when `JSON.parse` accepts it and it nests at most `maxDepth` deep; `spans` then holds,
 * for the i-th name, where its value starts and ends (`spans[2i]`, `spans[2i + 1]`), or -1 for both
 * when the object has no such member.
 */
export function readMembers(bytes: Uint8Array, start: number, end: number, names: MemberNames, spans: Int32Array, maxDepth: number): boolean {
  spans.fill(-1);
  if (containers.length <= maxDepth) containers = new Uint8Array(maxDepth + 1);
  const stack = containers;
  let depth = 0;
  /** The named top-level member whose value is being read, or -1. */
  let member = -1;
  /** A key comes next (an object was opened, or a comma read in one). */
  let keyNext = false;
  let p = start;
  for (;;) {
    p = skipJsonSpace(bytes, p, end);
    if (keyNext) {
      keyNext = false;
      if (p >= end || bytes[p] !== QUOTE) return false;
      const after = stringEnd(bytes, p, end);
      if (after < 0) return false;
      if (depth === 1) {
        const index = names.indexOf(bytes, p + 1, after - 1);
        if (index >= 0) {
          if (spans[2 * index]! >= 0) return false; // the key again: JSON.parse keeps the last
          member = index;
        }
      }
      p = skipJsonSpace(bytes, after, end);
      if (p >= end || bytes[p] !== COLON) return false;
      p = skipJsonSpace(bytes, p + 1, end);
      if (member >= 0 && depth === 1) spans[2 * member] = p;
    }
    // A value starts at `p`.
    if (p >= end) return false;
    const c = bytes[p]!;
    if (depth === 0 && c !== OPEN_BRACE) return false; // a record is an object
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === maxDepth) return false;
      stack[depth++] = c;
      p = skipJsonSpace(bytes, p + 1, end);
      if (p < end && bytes[p] === (c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) {
        depth--;
        p++;
      } else {
        keyNext = c === OPEN_BRACE;
        continue;
      }
    } else if (c === QUOTE) {
      p = stringEnd(bytes, p, end);
      if (p < 0) return false;
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      p = numberEnd(bytes, p, end);
      if (p < 0) return false;
    } else {
      const word = c === 0x74 ? TRUE : c === 0x66 ? FALSE : c === 0x6e ? NULL : null;
      if (word === null || !occursAt(bytes, p, word, end)) return false;
      p += word.length;
    }
    // A value ended at `p`: close what it closes, then on to the next value (or the end).
    for (;;) {
      if (depth === 1 && member >= 0) {
        spans[2 * member + 1] = p;
        member = -1;
      }
      p = skipJsonSpace(bytes, p, end);
      if (depth === 0) return p === end;
      if (p >= end) return false;
      const open = stack[depth - 1];
      const b = bytes[p];
      if (b === COMMA) {
        keyNext = open === OPEN_BRACE;
        p++;
        break;
      }
      if ((b === CLOSE_BRACE && open === OPEN_BRACE) || (b === CLOSE_BRACKET && open === OPEN_BRACKET)) {
        depth--;
        p++;
        continue;
      }
      return false;
    }
  }
}

/** Just past the string opened at `p`; -1 if it holds a backslash or a control character, or does not end. */
function stringEnd(bytes: Uint8Array, p: number, end: number): number {
  for (let q = p + 1; q < end; q++) {
    const c = bytes[q]!;
    if (c === QUOTE) return q + 1;
    if (c < 0x20 || c === BACKSLASH) return -1;
  }
  return -1;
}

/** Just past the number at `p`, spelled as JSON spells numbers; -1 if it is not. */
function numberEnd(bytes: Uint8Array, p: number, end: number): number {
  if (p < end && bytes[p] === MINUS) p++;
  if (p < end && bytes[p] === ZERO) p++;
  else if (digitAt(bytes, p, end)) p = digitsEnd(bytes, p, end);
  else return -1;
  if (p < end && bytes[p] === DOT) {
    if (!digitAt(bytes, ++p, end)) return -1;
    p = digitsEnd(bytes, p, end);
  }
  if (p < end && (bytes[p] === 0x65 || bytes[p] === 0x45)) {
    p++;
    if (p < end && (bytes[p] === PLUS || bytes[p] === MINUS)) p++;
    if (!digitAt(bytes, p, end)) return -1;
    p = digitsEnd(bytes, p, end);
  }
  return p;
}

function digitAt(bytes: Uint8Array, p: number, end: number): boolean {
  return p < end && bytes[p]! >= ZERO && bytes[p]! <= NINE;
}

function digitsEnd(bytes: Uint8Array, p: number, end: number): number {
  while (digitAt(bytes, p, end)) p++;
  return p;
}

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
