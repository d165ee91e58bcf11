/**
 * Whether a record's text is exactly what `JSON.stringify` writes for the value it parses to, so a
 * member can be added to it by splicing text rather than by writing the whole event again (the
 * `_ctq` of --enrich, on every match). SOUND: true only when `JSON.stringify(JSON.parse(text)) ===
 * text` for a text `JSON.parse` accepts; anything it does not follow to the letter answers false:
 *
 * - blanks between tokens (stringify writes none);
 * - a backslash (stringify picks one spelling per escape) or a lone surrogate (which it escapes);
 * - a number other than an integer of at most 15 digits, or `-0` (stringify writes the shortest
 *   form that reads back, and `0` for `-0`);
 * - a key that starts with a digit (an array index: objects list those first, in numeric order);
 * - a key twice in one object (`JSON.parse` keeps the last value at the first key's place).
 *
 * It reads a text `JSON.parse` already accepted: the grammar itself is not checked again.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
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

/** True when `text` (which `JSON.parse` accepts) is what `JSON.stringify` writes for its value. */
export function isCanonicalJson(text: string): boolean {
  const objectStarts: number[] = [];
  let keys = 0;
  /** The container open at each depth: true for an object. */
  const inObject: boolean[] = [];
  let afterKeyStart = false;
  for (let p = 0; p < text.length; ) {
    const c = text.charCodeAt(p);
    if (c === QUOTE) {
      // A key when the last structural character was `{` or `,` inside an object.
      const key = afterKeyStart;
      let hash = 0;
      let q = p + 1;
      for (; ; q++) {
        if (q >= text.length) return false;
        const d = text.charCodeAt(q);
        if (d === QUOTE) break;
        if (d === BACKSLASH) return false;
        if (d >= 0xd800 && d <= 0xdfff) {
          // A pair is written as it is; a lone surrogate is escaped.
          const low = q + 1 < text.length ? text.charCodeAt(q + 1) : 0;
          if (d > 0xdbff || low < 0xdc00 || low > 0xdfff) return false;
          q++;
        }
        if (key) hash = (Math.imul(hash, 31) + d) | 0;
      }
      if (key) {
        if (q > p + 1 && text.charCodeAt(p + 1) >= ZERO && text.charCodeAt(p + 1) <= NINE) return false;
        // Mixing in the length keeps keys that differ only in length apart more often.
        hash = (Math.imul(hash, 31) + (q - p)) | 0;
        const from = objectStarts[objectStarts.length - 1]!;
        for (let k = from; k < keys; k++) if (keyHashes[k] === hash) return false; // maybe the same key: unsure
        if (keys === keyHashes.length) {
          const grown = new Int32Array(keys * 2);
          grown.set(keyHashes);
          keyHashes = grown;
        }
        keyHashes[keys++] = hash;
        afterKeyStart = false;
      }
      p = q + 1;
      continue;
    }
    if (c === OPEN_BRACE) {
      objectStarts.push(keys);
      inObject.push(true);
      afterKeyStart = true;
    } else if (c === OPEN_BRACKET) {
      inObject.push(false);
      afterKeyStart = false;
    } else if (c === CLOSE_BRACE) {
      keys = objectStarts.pop()!;
      inObject.pop();
    } else if (c === CLOSE_BRACKET) {
      inObject.pop();
    } else if (c === COMMA) {
      afterKeyStart = inObject[inObject.length - 1] === true;
    } else if (c === COLON) {
      // the value follows
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      let q = c === MINUS ? p + 1 : p;
      const first = q;
      while (q < text.length && text.charCodeAt(q) >= ZERO && text.charCodeAt(q) <= NINE) q++;
      const digits = q - first;
      const next = q < text.length ? text.charCodeAt(q) : -1;
      // `.`, `e` or `E` next: not an integer.
      if (next === 0x2e || next === 0x65 || next === 0x45 || digits > MAX_DIGITS) return false;
      if (c === MINUS && digits === 1 && text.charCodeAt(first) === ZERO) return false;
      p = q;
      continue;
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      // true, false, null: spelled one way only.
      p += c === 0x66 ? 5 : 4;
      continue;
    } else {
      return false; // a blank, or anything else stringify would not write
    }
    p++;
  }
  return true;
}
