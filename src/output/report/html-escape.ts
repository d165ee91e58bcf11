/**
 * Text from event data made safe for HTML: first terminal-safe (controls, bidi overrides and isolates, zero-width
 * characters written as visible escapes, so `\u202egnp.exe` cannot pass for `exe.png` on the page either), then the five
 * HTML-significant characters as entities, so nothing can open a tag, end an attribute or start an entity.
 */
import { terminalSafe } from '../terminal-safe';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Already terminal-safe text (e.g. a label line) as HTML text or attribute value. */
export function escapeHtml(safeText: string): string {
  return safeText.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/** Raw text from event data as HTML text or attribute value. */
export function htmlText(raw: string): string {
  return escapeHtml(terminalSafe(raw));
}
