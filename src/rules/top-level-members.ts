/**
 * Chosen top-level members of one record, found on its raw bytes in one pass over its top level
 * (nested values are stepped over, not read): where each member's value is and what kind it is.
 * The record gate (record-gate.ts) reads eventSource, eventName and the members its rules compare
 * this way instead of parsing the record.
 *
 * It is meant for records WITHOUT A BACKSLASH (the gate checks first): then every `"` opens or
 * closes a string, and a member's name has no spelling but its own bytes. The reading is then the
 * one `JSON.parse` makes of a valid record: the last of duplicate members wins, as there. A record
 * whose top level is not a plain object (`{…}` with members, blanks allowed) reads as false: unsure.
 */
import { occursAt } from '../sources/local/byte-needle';
import { skipJsonSpace } from '../sources/local/json-scan';

/** What a member's value is; absent members have none. */
export const ABSENT = 0;
/** A string: the span is its content, between the quotes. */
export const STRING = 1;
/** A number, `true`, `false` or `null`: the span is its text. */
export const SCALAR = 2;
/** An object or an array: the span is the whole value. */
export const NESTED = 3;
export type MemberKind = typeof ABSENT | typeof STRING | typeof SCALAR | typeof NESTED;

const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** What ends a number or a literal: a blank, or the next member or the object's end. */
const SCALAR_END = byteTable([0x20, 0x09, 0x0a, 0x0d, COMMA, CLOSE_BRACE]);
/** The bytes that matter inside a nested value: 1 a quote, 2 an opening bracket, 3 a closing one. */
const NESTING = new Uint8Array(256);
NESTING[QUOTE] = 1;
NESTING[OPEN_BRACE] = NESTING[OPEN_BRACKET] = 2;
NESTING[CLOSE_BRACE] = NESTING[CLOSE_BRACKET] = 3;

export class TopLevelMembers {
  /** Per member (by its index in the names given), what the last record read holds. */
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  private readonly names: readonly Buffer[];
  /** Open addressing on the hash of a name's bytes: index + 1 of the member (0: empty slot). */
  private readonly slots: Int32Array;
  private readonly slotHashes: Int32Array;
  private readonly mask: number;

  constructor(names: readonly string[]) {
    this.names = names.map((name) => Buffer.from(name, 'utf8'));
    this.kinds = new Uint8Array(names.length);
    this.starts = new Int32Array(names.length);
    this.ends = new Int32Array(names.length);
    let size = 64;
    while (size < names.length * 4) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size);
    this.slotHashes = new Int32Array(size);
    this.names.forEach((name, index) => {
      const hash = nameHash(name, 0, name.length);
      let slot = hash & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = index + 1;
      this.slotHashes[slot] = hash;
    });
  }

  /**
   * Reads the members of the object `bytes[start, end)` (blanks around it allowed), which must hold no
   * backslash. False when its top level is not a plain object: nothing read is then to be trusted.
   */
  read(bytes: Buffer, start: number, end: number): boolean {
    const { kinds, starts, ends } = this;
    kinds.fill(ABSENT);
    let p = skipJsonSpace(bytes, start, end);
    if (bytes[p] !== OPEN_BRACE) return false;
    p = skipJsonSpace(bytes, p + 1, end);
    if (bytes[p] === CLOSE_BRACE) return skipJsonSpace(bytes, p + 1, end) === end;
    for (;;) {
      if (bytes[p] !== QUOTE) return false;
      const nameStart = ++p;
      // The name's hash is taken on the way to its closing quote: most names are of no interest, and
      // an empty slot says so without comparing bytes.
      let hash = 0;
      for (; p < end; p++) {
        const c = bytes[p]!;
        if (c === QUOTE) break;
        hash = (Math.imul(hash, 31) + c) | 0;
      }
      if (p >= end) return false;
      const member = this.memberAt(bytes, nameStart, p, hash);
      p = skipJsonSpace(bytes, p + 1, end);
      if (bytes[p] !== COLON) return false;
      p = skipJsonSpace(bytes, p + 1, end);
      const valueStart = p;
      const first = bytes[p];
      let kind: MemberKind;
      let valueEnd: number;
      if (first === QUOTE) {
        for (p++; p < end && bytes[p] !== QUOTE; p++);
        if (p >= end) return false;
        kind = STRING;
        valueEnd = p++;
      } else if (first === OPEN_BRACE || first === OPEN_BRACKET) {
        p = nestedEnd(bytes, p, end);
        if (p < 0) return false;
        kind = NESTED;
        valueEnd = p;
      } else {
        while (p < end && SCALAR_END[bytes[p]!] === 0) p++;
        if (p === valueStart) return false;
        kind = SCALAR;
        valueEnd = p;
      }
      if (member >= 0) {
        kinds[member] = kind;
        starts[member] = kind === STRING ? valueStart + 1 : valueStart;
        ends[member] = valueEnd;
      }
      p = skipJsonSpace(bytes, p, end);
      if (bytes[p] === COMMA) {
        p = skipJsonSpace(bytes, p + 1, end);
        continue;
      }
      return bytes[p] === CLOSE_BRACE && skipJsonSpace(bytes, p + 1, end) === end;
    }
  }

  /** The index of the member named by `bytes[start, end)`, or -1 when it is not one asked for. */
  private memberAt(bytes: Buffer, start: number, end: number, hash: number): number {
    for (let slot = hash & this.mask; this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
      if (this.slotHashes[slot] !== hash) continue;
      const index = this.slots[slot]! - 1;
      if (sameBytes(this.names[index]!, bytes, start, end)) return index;
    }
    return -1;
  }
}

/** Where the object or array opened at `p` ends (just past its closing bracket), or -1. */
function nestedEnd(bytes: Buffer, p: number, end: number): number {
  let depth = 0;
  while (p < end) {
    const role = NESTING[bytes[p++]!];
    if (role === 0) continue;
    if (role === 1) {
      while (p < end && bytes[p] !== QUOTE) p++;
      p++;
    } else if (role === 2) depth++;
    else if (--depth === 0) return p;
  }
  return -1;
}

/** The same hash as `read` takes of a name on its way through it. */
function nameHash(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0;
  for (let p = start; p < end; p++) hash = (Math.imul(hash, 31) + bytes[p]!) | 0;
  return hash;
}

/** Whether `bytes[start, end)` is exactly `expected`. */
export function sameBytes(expected: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  return end - start === expected.length && occursAt(bytes, start, expected, end);
}

function byteTable(bytes: readonly number[]): Uint8Array {
  const table = new Uint8Array(256);
  for (const byte of bytes) table[byte] = 1;
  return table;
}
