/**
 * Sigma string values: `*` (any run of characters) and `?` (one character) are wildcards; `\*`, `\?`
 * and `\\` are the literal characters; a backslash before anything else is a plain backslash
 * (Sigma specification, "Wildcards" and "Escaping"). A value is split into literal text and wildcards
 * once, then written as the cheapest ctq operator that expresses it exactly.
 */

export type Piece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'any' } | { readonly kind: 'one' };

export function parseSigmaString(value: string): Piece[] {
  const pieces: Piece[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') pieces.push({ kind: 'text', text });
    text = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') {
      const next = value[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        text += next;
        i++;
      } else {
        text += '\\';
      }
    } else if (c === '*' || c === '?') {
      flush();
      pieces.push({ kind: c === '*' ? 'any' : 'one' });
    } else {
      text += c;
    }
  }
  flush();
  return pieces;
}

/** How a Sigma string compares, before case is decided. */
export type StringTest =
  | { readonly kind: 'equals' | 'contains' | 'startswith' | 'endswith'; readonly text: string }
  /** Wildcards inside the text: an anchored regex source (without flags). */
  | { readonly kind: 'pattern'; readonly source: string }
  /** Only `*`: any string at all. */
  | { readonly kind: 'any-string' };

export type Position = 'equals' | 'contains' | 'startswith' | 'endswith';

/** The test for a value under the contains/startswith/endswith modifiers (which add `*` around it). */
export function stringTest(value: string, position: Position): StringTest {
  const pieces = parseSigmaString(value);
  const lead: Piece[] = position === 'contains' || position === 'endswith' ? [{ kind: 'any' }] : [];
  const tail: Piece[] = position === 'contains' || position === 'startswith' ? [{ kind: 'any' }] : [];
  const all = collapse([...lead, ...pieces, ...tail]);
  if (all.length === 0) return { kind: 'equals', text: '' };
  if (all.every((p) => p.kind === 'any')) return { kind: 'any-string' };
  const first = all[0]!;
  const last = all[all.length - 1]!;
  const inner = all.slice(first.kind === 'any' ? 1 : 0, last.kind === 'any' ? -1 : undefined);
  const only = inner[0];
  if (inner.length === 1 && only?.kind === 'text') {
    const text = only.text;
    if (first.kind === 'any' && last.kind === 'any') return { kind: 'contains', text };
    if (first.kind === 'any') return { kind: 'endswith', text };
    if (last.kind === 'any') return { kind: 'startswith', text };
    return { kind: 'equals', text };
  }
  return { kind: 'pattern', source: '^' + all.map(regexOf).join('') + '$' };
}

function collapse(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const piece of pieces) {
    const prev = out[out.length - 1];
    if (piece.kind === 'any' && prev?.kind === 'any') continue;
    if (piece.kind === 'text' && prev?.kind === 'text') out[out.length - 1] = { kind: 'text', text: prev.text + piece.text };
    else out.push(piece);
  }
  return out;
}

function regexOf(piece: Piece): string {
  switch (piece.kind) {
    case 'any':
      return '.*';
    case 'one':
      return '.';
    case 'text':
      return escapeRegex(piece.text);
  }
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * A regex source as a ctq `/…/` literal body: every unescaped `/` is escaped, line breaks
 * are written as escapes (a ctq regex literal is one line).
 */
export function regexLiteralBody(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
    } else if (c === '/') out += '\\/';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else out += c;
  }
  return out;
}
