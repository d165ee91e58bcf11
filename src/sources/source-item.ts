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
  | { readonly kind: 'bad'; readonly origin: Origin; readonly message: string };

export function formatOrigin(origin: Origin): string {
  return origin.line > 0 ? `${origin.source}:${origin.line}` : origin.source;
}
