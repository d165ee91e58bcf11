/**
 * Pass one of an identity query, from the records' raw bytes where it can. Pass one reads every
 * record for a few members (its name, then IDENTITY_MEMBERS) and most records add nothing an earlier one did not:
 * one identity signs many calls. A record read strictly from its bytes (json-members.ts: exactly what
 * `JSON.parse` accepts, no escapes) whose name is no hop's is known by the raw text of those members;
 * once a text has been gathered, records with the same text are passed over, never decoded or parsed
 * (the same bytes parse to the same members, so to the same identity). A new text has just those
 * members parsed. Records the strict reading does not take (a backslash, a hop, lookup-events'
 * wrapper, damage) take the ordinary path, which parses them whole and keeps damaged ones out.
 *
 * Passing over a record whose text was gathered before is sound whatever the record: were it
 * damaged after all, the ordinary path would have added nothing, and it adds nothing here.
 */
import { HOP_EVENT_NAMES, IDENTITY_MEMBERS, type IdentityFactsGatherer } from '../identity';
import type { JsonObject, JsonValue } from '../language/json';
import { MemberNames, readMembers } from '../sources/local/json-members';
import { MAX_RECORD_DEPTH, NOT_A_RECORD_MEMBERS, type RawRecordReader } from '../sources/local/records';

// With the members that make a value no record (lookup-events items, documents, wrappers): those take the ordinary path.
const MEMBERS = new MemberNames([...IDENTITY_MEMBERS, 'eventName', ...NOT_A_RECORD_MEMBERS]);
const IDENTITY = IDENTITY_MEMBERS.indexOf('userIdentity');
const CONSOLE = IDENTITY_MEMBERS.indexOf('sessionCredentialFromConsole');
const NAME = IDENTITY_MEMBERS.length;
const FIRST_NOT_A_RECORD = NAME + 1;
const QUOTE = 0x22;
/** Distinct texts remembered per thread: as many as distinct identities, in CloudTrail. Past it, start over. */
const MAX_REMEMBERED = 10_000;
/**
 * Remembering texts pays when most records repeat one: real trails do (one identity signs a run of
 * calls), but an input whose identities differ in members the graph ignores (the benchmark
 * generator's random principalId) repeats few, and keying each costs as much as parsing its members.
 * Every this many records the hits are counted; below half, the next records go unkeyed for a while.
 */
const SAMPLE = 1024;
const UNKEYED = 16 * SAMPLE;

/** A reader that gathers the facts of the records it takes into `gatherer`. */
export function rawIdentityReader(gatherer: IdentityFactsGatherer): RawRecordReader {
  const gathered = new Set<string>();
  const spans = MEMBERS.spans();
  let looked = 0;
  let hits = 0;
  let unkeyed = 0;
  return (buffer) => (start, end) => {
    if (!readMembers(buffer, start, end, MEMBERS, spans, MAX_RECORD_DEPTH)) return false;
    for (let i = FIRST_NOT_A_RECORD; i < FIRST_NOT_A_RECORD + NOT_A_RECORD_MEMBERS.length; i++) if (spans[2 * i]! >= 0) return false;
    const nameAt = spans[2 * NAME]!;
    // Without escapes, a string's bytes are its text: a hop's name is spelled so or not at all.
    if (nameAt >= 0 && buffer[nameAt] === QUOTE && isHopName(buffer, nameAt + 1, spans[2 * NAME + 1]! - 1)) return false;
    if (unkeyed > 0) {
      unkeyed--;
      gatherer.add(membersOf(buffer, spans));
      return true;
    }
    if (++looked === SAMPLE) {
      if (2 * hits < looked) unkeyed = UNKEYED;
      looked = hits = 0;
    }
    // The identity's members, one character per byte (and the console flag, rare, before a NUL, which
    // no JSON text holds raw). Not the name: once it is no hop's, it changes nothing.
    const key = spans[2 * CONSOLE]! < 0 ? textOf(buffer, spans, IDENTITY) : `${textOf(buffer, spans, CONSOLE)}\0${textOf(buffer, spans, IDENTITY)}`;
    if (gathered.has(key)) {
      hits++;
      return true;
    }
    gatherer.add(membersOf(buffer, spans));
    if (gathered.size >= MAX_REMEMBERED) gathered.clear();
    gathered.add(key);
    return true;
  };
}

/** The lengths of the hop names: a name of another length is no hop's, told without making a string of it. */
const HOP_NAME_LENGTHS = new Set([...HOP_EVENT_NAMES].map((name) => name.length));

/** Whether the bytes `start..end` (a string's, without escapes) spell a hop's name. */
function isHopName(buffer: Buffer, start: number, end: number): boolean {
  return HOP_NAME_LENGTHS.has(end - start) && HOP_EVENT_NAMES.has(buffer.toString('latin1', start, end));
}

/** The raw text of the i-th member's value, one character per byte; empty when there is none. */
function textOf(buffer: Buffer, spans: Int32Array, i: number): string {
  return spans[2 * i]! < 0 ? '' : buffer.toString('latin1', spans[2 * i]!, spans[2 * i + 1]!);
}

/** The event as far as the graph reads it: the members found, each parsed from its own bytes. */
function membersOf(buffer: Buffer, spans: Int32Array): JsonObject {
  const event: Record<string, JsonValue> = {};
  IDENTITY_MEMBERS.forEach((name, i) => {
    if (spans[2 * i]! >= 0) event[name] = JSON.parse(buffer.toString('utf8', spans[2 * i]!, spans[2 * i + 1]!)) as JsonValue;
  });
  return event;
}
