/** Quoted strings as written in expressions: `"…"` or `'…'` with JSON's escapes (plus `\'`). */

export type Decoded =
  | { readonly ok: true; readonly value: string }
  | {
      readonly ok: false;
      readonly message: string;
      /** Fixed advice (no input in it), kept apart so a terminal escape of the message does not double its backslashes. */
      readonly hint: string;
      /** Offset of the fault inside the quoted text. */
      readonly at: number;
    };

const ESCAPES_HINT = 'use \\" \\\' \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Decodes a quoted string including its quotes; the lexer guarantees the closing quote is there. */
export function decodeQuoted(quoted: string): Decoded {
  let out = '';
  const end = quoted.length - 1;
  for (let i = 1; i < end; i++) {
    const c = quoted[i] as string;
    if (c !== '\\') {
      if (c < ' ') return { ok: false, message: 'control character in a string', hint: 'write it as an escape such as \\n', at: i };
      out += c;
      continue;
    }
    const e = quoted[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(quoted.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(quoted.slice(i + 2, i + 6), 16));
      i += 5;
    } else {
      const shown = e === 'u' ? quoted.slice(i, i + 6) : `\\${e}`;
      return { ok: false, message: `invalid escape '${shown}' in a string`, hint: ESCAPES_HINT, at: i };
    }
  }
  return { ok: true, value: out };
}

/** Whether JSON writes the string with no escape: it holds no quote, backslash, control character or lone surrogate (JSON.stringify escapes those). */
export function writtenPlainlyInJson(text: string): boolean {
  return !MUST_ESCAPE.test(text);
}

const MUST_ESCAPE = /["\\\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
