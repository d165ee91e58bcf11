/**
 * Whether a record's text is exactly what `JSON.stringify` writes for the value it parses to, so a
 * member can be added to it by splicing text rather than by writing the whole event again (the
 * `_ctq` of --enrich, on every match). SOUND: true only when `JSON.stringify(JSON.parse(text)) ===
 * text` for a text `JSON.parse` accepts; anything it does not follow to the letter answers false:
 *
 * - blanks between tokens (stringify writes none);
 * - a backslash (stringify picks one spelling per escape) or a surrogate (it escapes lone ones);
 * - a number other than an integer of at most 15 digits, or `-0` (stringify writes the shortest
 *   form that reads back, and `0` for `-0`);
 * - a key that starts with a digit (an array index: objects list those first, in numeric order);
 * - a key twice in one object (`JSON.parse` keeps the last value at the first key's place).
 *
 * It reads a text `JSON.parse` already accepted: the grammar itself is not checked again.
 */

const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const MAX_DIGITS = 15;

/** Hashes of the keys of the objects open, each object's from its start index (reused, one thread). */
let keyHashes = new Int32Array(256);

/** Any surrogate: a pair is written as it is, a lone one escaped; finding one, the text is left to stringify. */
const SURROGATE = /[\uD800-\uDFFF]/;

/** True when `text` (which `JSON.parse` accepts) is what `JSON.stringify` writes for its value. */
export function isCanonicalJson(text: string): boolean {
  // Searched natively once, so that strings can be skipped to their closing quote.
  if (text.includes('\\') || SURROGATE.test(text)) return false;
  const objectStarts: number[] = [];
  let keys = 0;
  /** The container open at each depth: true for an object. */
  const inObject: boolean[] = [];
  let keyNext = false;
  const length = text.length;
  for (let p = 0; p < length; ) {
    const c = text.charCodeAt(p);
    if (c === QUOTE) {
      if (!keyNext) {
        p = text.indexOf('"', p + 1) + 1;
        if (p === 0) return false;
        continue;
      }
      // A key (after `{` or `,` in an object): an array index, or the key again, is left to stringify.
      keyNext = false;
      let hash = 0;
      let q = p + 1;
      for (; ; q++) {
        if (q >= length) return false;
        const d = text.charCodeAt(q);
        if (d === QUOTE) break;
        hash = (Math.imul(hash, 31) + d) | 0;
      }
      if (q > p + 1 && text.charCodeAt(p + 1) >= ZERO && text.charCodeAt(p + 1) <= NINE) return false;
      hash = (Math.imul(hash, 31) + (q - p)) | 0;
      const from = objectStarts[objectStarts.length - 1]!;
      for (let k = from; k < keys; k++) if (keyHashes[k] === hash) return false; // maybe the same key: unsure
      if (keys === keyHashes.length) {
        const grown = new Int32Array(keys * 2);
        grown.set(keyHashes);
        keyHashes = grown;
      }
      keyHashes[keys++] = hash;
      p = q + 1;
      continue;
    }
    if (c === OPEN_BRACE) {
      objectStarts.push(keys);
      inObject.push(true);
      keyNext = true;
    } else if (c === OPEN_BRACKET) {
      inObject.push(false);
    } else if (c === CLOSE_BRACE) {
      keys = objectStarts.pop()!;
      inObject.pop();
    } else if (c === CLOSE_BRACKET) {
      inObject.pop();
    } else if (c === COMMA) {
      keyNext = inObject[inObject.length - 1] === true;
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      let q = c === MINUS ? p + 1 : p;
      const first = q;
      while (q < length && text.charCodeAt(q) >= ZERO && text.charCodeAt(q) <= NINE) q++;
      const next = q < length ? text.charCodeAt(q) : -1;
      // `.`, `e` or `E` next: not an integer.
      if (next === 0x2e || next === 0x65 || next === 0x45 || q - first > MAX_DIGITS) return false;
      if (c === MINUS && q - first === 1 && text.charCodeAt(first) === ZERO) return false;
      p = q;
      continue;
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      // true, false, null: spelled one way only.
      p += c === 0x66 ? 5 : 4;
      continue;
    } else if (c !== COLON) {
      return false; // a blank, or anything else stringify would not write
    }
    p++;
  }
  return true;
}
