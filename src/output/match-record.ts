/**
 * Matches as values (ripgrep's searcher/printer split): a source hands over the matched lines once, as
 * records; each stage after it (the --state de-duplication, thresholds, the rule fan-out, the report,
 * the sinks) reads `event` and only the NDJSON printer writes `text`. A line is parsed at most once,
 * and only if some stage reads its event; the sink at the end reads it without keeping it.
 *
 * A batch carries the identity graph its events were filtered against (null for a plain scan): the
 * stages that answer `session()` or draw sessions read it from there, never from shared state that a
 * callback fills in later.
 */
import { sessionKeyOf, type IdentityGraph } from '../identity';
import type { JsonObject } from '../language/json';
import { ndjsonLines } from './ndjson-lines';
import type { SummaryPartial } from './summary';

export class MatchRecord {
  private parsed: JsonObject | undefined;
  private readonly make: (() => JsonObject) | undefined;

  /**
   * `text`: the event's JSON on one line, without the newline. `event`: the event it says, or how to
   * make it when a stage asks (an enriched match: a worker's matches are only ever written as text).
   */
  constructor(
    readonly text: string,
    event?: JsonObject | (() => JsonObject),
  ) {
    if (typeof event === 'function') this.make = event;
    else this.parsed = event;
  }

  /** A record made by a stage (an alert, one rule's copy of an event). */
  static of(event: JsonObject): MatchRecord {
    return new MatchRecord(JSON.stringify(event), event);
  }

  /** The event, parsed on first use and kept for the stages after this one. */
  get event(): JsonObject {
    this.parsed ??= this.make?.() ?? this.parse();
    return this.parsed;
  }

  /**
   * The event for the last stage that reads it (a sink): parsed now if no stage before kept it, and not
   * kept, so a batch of thousands of records does not hold every parsed event until its last row is out.
   */
  lastRead(): JsonObject {
    return this.parsed ?? this.make?.() ?? this.parse();
  }

  private parse(): JsonObject {
    // The scan wrote this line from a JSON object it had parsed, so it parses to one.
    return JSON.parse(this.text) as JsonObject;
  }
}

/**
 * A batch of matches and the identity graph they were filtered against (null when the run built none).
 * A batch from a scan starts as the scan's NDJSON text and is split into records only if a stage asks;
 * a batch a stage made starts as records and is joined only if the NDJSON sink asks. Either way each
 * line is split, joined and parsed at most once.
 */
export class Matches {
  private constructor(
    private list: readonly MatchRecord[] | undefined,
    /** The lines as one text, or as UTF-8 when they came so (decoded only if a stage asks for `text`). */
    private joined: string | Uint8Array | undefined,
    readonly graph: IdentityGraph | null,
    /** Set for a batch the scan folded into a piece of the summary where it found it (then it has no records). */
    readonly summary: SummaryPartial | null = null,
  ) {}

  /**
   * Matches already folded into a piece of `--summary` by the scan (only when the summary sink is the only
   * stage after the scan; see `OutputPlan.scanSummary`): the sink merges the piece; no stage reads records.
   */
  static folded(summary: SummaryPartial, graph: IdentityGraph | null): Matches {
    return new Matches(undefined, undefined, graph, summary);
  }

  /** Whole NDJSON lines, as a scan writes them. */
  static ofText(text: string, graph: IdentityGraph | null): Matches {
    return new Matches(undefined, text, graph);
  }

  /** A scan's lines (text or UTF-8), with the records it parsed them from when it kept them (null: split and parse here on demand). */
  static ofScan(text: string | Uint8Array, records: readonly MatchRecord[] | null, graph: IdentityGraph | null): Matches {
    return new Matches(records ?? undefined, text, graph);
  }

  static of(records: readonly MatchRecord[], graph: IdentityGraph | null): Matches {
    return new Matches(records, undefined, graph);
  }

  get records(): readonly MatchRecord[] {
    if (this.summary !== null) throw new Error('a batch folded into the summary has no records (a stage before the summary sink read it)');
    this.list ??= matchRecords(this.joined === undefined ? '' : this.text);
    return this.list;
  }

  /** The lines for the NDJSON sink: as they came, text or UTF-8, neither converted. */
  get ndjson(): string | Uint8Array {
    return typeof this.joined === 'object' && this.summary === null ? this.joined : this.text;
  }

  /** The records as NDJSON text, one line each. */
  get text(): string {
    if (this.summary !== null) throw new Error('a batch folded into the summary has no text (it reached a sink other than the summary)');
    if (this.joined === undefined) {
      let text = '';
      for (const record of this.list ?? []) text += record.text + '\n';
      this.joined = text;
    } else if (typeof this.joined !== 'string') {
      this.joined = Buffer.from(this.joined.buffer, this.joined.byteOffset, this.joined.byteLength).toString('utf8');
    }
    return this.joined;
  }

  /** Other records (a stage's output) against the same graph. */
  with(records: readonly MatchRecord[]): Matches {
    return Matches.of(records, this.graph);
  }
}

/** Scans' NDJSON text (whole lines, as the workers send it) as records. */
export function matchRecords(text: string): MatchRecord[] {
  const records: MatchRecord[] = [];
  for (const line of ndjsonLines(text)) records.push(new MatchRecord(line));
  return records;
}

/** `session()` of an event: the graph's answer once there is one, else what the event alone says. */
export function sessionIn(graph: IdentityGraph | null, event: JsonObject): string | null {
  return graph === null ? sessionKeyOf(event) : graph.sessionOf(event);
}
