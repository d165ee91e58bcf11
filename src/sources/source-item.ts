/** What every source yields: an event with where it came from, or a record that could not be read. */
import type { JsonObject } from '../language/json';

/** Where a record came from, for messages: `file:line` for local inputs, `region page N` for the API. */
export interface Origin {
  /** A file path, `-` for stdin, or e.g. `lookup-events us-east-1`. */
  readonly source: string;
  /** 1-based line for line-oriented inputs; record index inside a document otherwise; 0 if unknown. */
  readonly line: number;
}

export type SourceItem =
  | {
      readonly kind: 'event';
      readonly event: JsonObject;
      /** The record's JSON text as read, when the source has it (an NDJSON line); written out verbatim. */
      readonly text: string | null;
      readonly origin: Origin;
    }
  | {
      readonly kind: 'bad';
      readonly origin: Origin;
      readonly message: string;
      /** What the damage cost; absent means one record. */
      readonly loss?: Loss;
    };

/**
 * What a piece of damage cost, so the end-of-run note can say exactly what was skipped:
 * - `record`: one record (invalid JSON, not an object, nested too deep); reading went on after it.
 * - `bytes`: bytes in which records cannot be told apart (text that is not JSON, a damaged stretch).
 * - `rest`: the input could not be read past this point (an I/O error, a truncated gzip).
 * - `none`: damage seen, nothing skipped (a missing comma between records, junk after gzip data).
 */
export type Loss = 'record' | 'none' | 'rest' | { readonly bytes: number };

/** Whether an item's damage skipped anything (and so counts as a bad record). */
export function lostSomething(loss: Loss | undefined): boolean {
  return loss !== 'none';
}

export function formatOrigin(origin: Origin): string {
  return origin.line > 0 ? `${origin.source}:${origin.line}` : origin.source;
}
