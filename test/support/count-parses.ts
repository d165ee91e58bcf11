/**
 * Counts, per eventID, the JSON.parse calls given a text that holds `"eventID":"…"` unescaped: one
 * event's own JSON (an API page holds events as escaped strings, so a page does not count).
 */
import { vi } from 'vitest';

export async function countingParses<T>(during: () => Promise<T>): Promise<{ result: T; parses: Map<string, number> }> {
  const parses = new Map<string, number>();
  const parse = JSON.parse;
  vi.spyOn(JSON, 'parse').mockImplementation(function (this: unknown, text: string, reviver?: (key: string, value: unknown) => unknown) {
    const id = typeof text === 'string' ? /"eventID":"([^"]+)"/.exec(text)?.[1] : undefined;
    if (id !== undefined) parses.set(id, (parses.get(id) ?? 0) + 1);
    return parse.call(JSON, text, reviver);
  });
  try {
    return { result: await during(), parses };
  } finally {
    vi.mocked(JSON.parse).mockRestore();
  }
}
