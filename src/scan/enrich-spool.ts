/**
 * One-pass `--enrich`'s matches, held on disk from the scan until the graph is built: each piece's lines
 * (as written before `_ctq`, see checked-query.ts `writtenLine`) and, per line, the session reference its
 * `_ctq` is made from. Memory holds the references only, one per distinct session (not per event); the
 * lines go to a file in input order and are read back, enriched, in the same order.
 *
 * A piece on disk: its line count and text length (u32 each), a u32 reference index per line
 * (`NO_REF`: the line names no identity), then the text (UTF-8, each line ending in `\n`).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { NO_IDENTITY_ENRICHMENT, type IdentityGraph, type SessionRef } from '../identity';
import { annotatedLine, splicedLine } from '../query/checked-query';
import { AmbiguityWarnings } from '../query/identity-filter';
import type { JsonObject } from '../language/json';
import { isJsonSpace } from '../sources/local/json-scan';

const NO_REF = 0xffffffff;
const HEADER_BYTES = 8;
/** A line holding this may be an event with its own `_ctq`, which the copy replaces in place: parsed again to tell. */
const CTQ_MEMBER = '"_ctq"';
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const COMMA = Buffer.from(',');
const CTQ_PROBE = Buffer.from('_ctq"');

export class EnrichSpool {
  /** Reference ids to their index in `refs`. */
  private readonly indexOf = new Map<string, number>();
  private readonly refs: SessionRef[] = [];
  private written = 0;

  private constructor(private readonly file: FileHandle) {}

  /** A spool in `path`, created (the caller owns and removes the directory it is in). */
  static async create(path: string): Promise<EnrichSpool> {
    return new EnrichSpool(await open(path, 'w+'));
  }

  /**
   * A piece's lines, each with the id of its session reference; `refs` holds what the ids first met in the
   * piece refer to (a scan hands each over once per piece it is met in).
   */
  async add(text: string, lineRefs: readonly (string | null)[], refs: ReadonlyMap<string, SessionRef>): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    const header = Buffer.allocUnsafe(HEADER_BYTES + 4 * lineRefs.length);
    header.writeUInt32LE(lineRefs.length, 0);
    header.writeUInt32LE(bytes.length, 4);
    lineRefs.forEach((id, i) => header.writeUInt32LE(id === null ? NO_REF : this.indexFor(id, refs), HEADER_BYTES + 4 * i));
    await this.file.writev([header, bytes], this.written);
    this.written += header.length + bytes.length;
  }

  /**
   * The pieces in the order added, their lines enriched against `graph` (`_ctq` serialized once per
   * reference), as UTF-8: spliced in bytes as `splicedLine` splices text, never decoded or encoded again.
   * Ambiguity warnings are said as the matches that raise them come by, each once.
   */
  async *enriched(graph: IdentityGraph, onWarning: (message: string) => void): AsyncGenerator<Uint8Array> {
    const ambiguity = new AmbiguityWarnings(graph, onWarning);
    const ctqJsons: (string | undefined)[] = [];
    /** Per reference, what ends a line spliced with its `_ctq`: `"_ctq":{…}}` and the newline. */
    const ctqTails: (Buffer | undefined)[] = [];
    const noIdentity = JSON.stringify(NO_IDENTITY_ENRICHMENT);
    const ctqOf = (index: number): string => {
      if (index === NO_REF) return noIdentity;
      let json = ctqJsons[index];
      if (json === undefined) {
        const enrichment = graph.enrichmentOfRef(this.refs[index]!);
        // Said for the first match of each reference: the same warnings, in the same order, as for every match.
        if (!ambiguity.done) ambiguity.written(enrichment);
        json = ctqJsons[index] = JSON.stringify(enrichment);
      }
      return json;
    };
    const noIdentityTail = ctqTail(noIdentity);
    const tailOf = (index: number): Buffer => {
      if (index === NO_REF) return noIdentityTail;
      let tail = ctqTails[index];
      if (tail === undefined) tail = ctqTails[index] = ctqTail(ctqOf(index));
      return tail;
    };
    let next = this.written > 0 ? this.readPiece(0) : null;
    while (next !== null) {
      const piece = await next;
      // The next piece is read while this one is spliced and written (its failure is met when it is awaited).
      next = piece.end < this.written ? this.readPiece(piece.end) : null;
      next?.catch(() => {});
      yield splicePiece(piece, tailOf, ctqOf);
    }
  }

  /** The piece at `at`: its lines' reference indexes and its text, read in two reads (the header says how long the rest is). */
  private async readPiece(at: number): Promise<SpooledPiece> {
    const header = await this.read(at, HEADER_BYTES);
    const lines = header.readUInt32LE(0);
    const textBytes = header.readUInt32LE(4);
    const body = await this.read(at + HEADER_BYTES, 4 * lines + textBytes);
    return { lines, indexes: body.subarray(0, 4 * lines), text: body.subarray(4 * lines), end: at + HEADER_BYTES + 4 * lines + textBytes };
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  private indexFor(id: string, refs: ReadonlyMap<string, SessionRef>): number {
    let index = this.indexOf.get(id);
    if (index === undefined) {
      const ref = refs.get(id);
      if (ref === undefined) throw new Error(`a match's session reference ${id} came without the reference`);
      index = this.refs.push(ref) - 1;
      this.indexOf.set(id, index);
    }
    return index;
  }

  private async read(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(length);
    for (let done = 0; done < length; ) {
      const { bytesRead } = await this.file.read(buffer, done, length - done, position + done);
      if (bytesRead === 0) throw new Error('the enrichment spool ended early');
      done += bytesRead;
    }
    return buffer;
  }
}

interface SpooledPiece {
  readonly lines: number;
  readonly indexes: Buffer;
  readonly text: Buffer;
  /** Where the next piece starts. */
  readonly end: number;
}

/**
 * A piece's lines with `_ctq` spliced in, as `splicedLine` splices text: the bytes before each line's last `}`,
 * less trailing whitespace (the only bytes JSON allows between a value and the brace), a comma unless the object
 * is empty, then the reference's tail. A line with no brace, or holding `"_ctq"` (an event with its own), goes
 * the text way (`splicedLine`, `annotatedLine`).
 */
function splicePiece(piece: SpooledPiece, tailOf: (index: number) => Buffer, ctqOf: (index: number) => string): Buffer {
  const { text, indexes } = piece;
  const parts: Uint8Array[] = [];
  let length = 0;
  const push = (part: Uint8Array) => {
    parts.push(part);
    length += part.length;
  };
  let from = 0;
  /** Where the next `"_ctq"` in the piece at or after `from` starts (-1: none), each found once. */
  let ctqAt = -2;
  for (let i = 0; i < piece.lines; i++) {
    const end = text.indexOf(NEWLINE, from);
    const index = indexes.readUInt32LE(4 * i);
    const close = text.lastIndexOf(CLOSE_BRACE, end - 1);
    if (ctqAt !== -1 && ctqAt < from) ctqAt = ctqMemberFrom(text, from);
    if (close < from || close >= end || (ctqAt >= 0 && ctqAt + CTQ_MEMBER.length <= end)) {
      const line = text.toString('utf8', from, end);
      const ctq = ctqOf(index);
      const written = line.includes(CTQ_MEMBER) ? annotatedLine(JSON.parse(line) as JsonObject, line, JSON.parse(ctq) as JsonObject) : splicedLine(line, ctq);
      push(Buffer.from(written + '\n', 'utf8'));
    } else {
      let body = close;
      while (body > from && isJsonSpace(text[body - 1]!)) body--;
      push(text.subarray(from, body));
      if (text[body - 1] !== OPEN_BRACE) push(COMMA);
      push(tailOf(index));
    }
    from = end + 1;
  }
  // One copy into one buffer (Buffer.concat's per-part checks were a tenth of this thread's work after the scan).
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Where the first `"_ctq"` at or after `from` starts, or -1: found through `_ctq"`, whose first byte JSON holds far less often than `"`. */
function ctqMemberFrom(text: Buffer, from: number): number {
  for (let at = text.indexOf(CTQ_PROBE, from + 1); at >= 0; at = text.indexOf(CTQ_PROBE, at + 1)) if (text[at - 1] === QUOTE) return at - 1;
  return -1;
}

/** What ends a line that `_ctq` (its JSON) is spliced into: the member, the object's brace, the newline. */
function ctqTail(ctqJson: string): Buffer {
  return Buffer.from(`"_ctq":${ctqJson}}\n`, 'utf8');
}
