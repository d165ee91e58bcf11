/**
 * A per-record gate for a rule set, on the record's raw bytes: read its eventSource and eventName
 * without parsing it, keep the rules whose actions select that pair, and parse the record only when
 * one of those rules could match it — a rule without a literal, or one whose own literal occurs in
 * the record. Detections are mostly "this API, and this rare value": most records then need no
 * `JSON.parse` at all, where the union of every rule's literal (rule-set.ts) is null as soon as one
 * rule lacks a literal (`$.errorCode != null`) and makes every record parsed.
 *
 * It is SOUND, like the literal pre-filter (language/prefilter.ts): false only when no rule can match
 * the record as `JSON.parse` reads it; true whenever the raw reading is unsure (see `rawStringValue`).
 *
 * The keys and a backslash are searched through the whole chunk once, each search starting where the
 * last one left off (the reader's NeedleCursor, which also finds long keys faster than
 * `Buffer.indexOf`); a rule's needles only inside the records of its API.
 */
import type { LiteralNeedles, RecordPrefilter } from '../language';
import type { ActionSelection } from '../selection';
import { ByteNeedle, NeedleCursor } from '../sources/local/byte-needle';
import { NeedleSet } from './needle-set';

/** What the gate needs of one rule: its actions' test, and the literals of which one it requires (null: none). */
export interface GatedRule {
  readonly selects: (eventSource: string, eventName: string) => boolean;
  readonly needles: LiteralNeedles | null;
}

/** The test of a rule that selects every event: such a rule is never ruled out by its actions. */
export const SELECTS_ALL = (): boolean => true;

/** A rule as the gate sees it: its actions, and its strongest literal requirement (or null). */
export function gatedRule(selection: ActionSelection, needles: LiteralNeedles | null): GatedRule {
  const all = selection.actions.length === 0 || selection.actions.some((action) => action.matchesAll);
  return { selects: all ? SELECTS_ALL : (source, name) => selection.matches(source, name), needles };
}

/**
 * A record with any backslash is parsed. Any character of a key or a value may be written `\uXXXX`
 * (and `/` as `\/`): such a record could spell `eventName`, or a rule's literal, in a way no byte
 * search finds. And `lookup-events` output wraps the event as a JSON string in CloudTrailEvent
 * (records.ts reads the inner event), whose quotes are all escaped: the fields read here would be
 * the wrapper's. One byte is found with `memchr`, far faster than the two strings it stands for;
 * CloudTrail records rarely hold one (policy documents as strings do, and are parsed).
 */
const BACKSLASH_TEXT = '\\';
const SOURCE_KEY = '"eventSource"';
const NAME_KEY = '"eventName"';
/** The searches every gate makes through the whole chunk; the rules' needles are looked for per record. */
const FIXED = [BACKSLASH_TEXT, SOURCE_KEY, NAME_KEY] as const;

/** The needles the selected rules require, one of which must occur; or every record. */
type Requirement = NeedleSet | typeof ANY_RECORD;
const ANY_RECORD = Symbol('any record');

/** Past this many distinct (eventSource, eventName) pairs the input is not CloudTrail-like: stop caching. */
const MAX_CACHED_PAIRS = 10_000;
/** Distinct needle sets are as many as distinct combinations of rules an API selects: few. */
const MAX_CACHED_SETS = 256;

/**
 * The gate for these rules, or null when it could never rule a record out: some rule selects every
 * event (`*:*`, or no action) and requires no literal, so every record must be parsed anyway.
 */
export function recordGate(rules: readonly GatedRule[]): RecordPrefilter | null {
  if (rules.length === 0 || rules.some((rule) => rule.needles === null && rule.selects === SELECTS_ALL)) return null;
  const needlesOf = rules.map((rule) =>
    rule.needles === null
      ? null
      : // A backslash makes the record parsed before any rule is looked at: no need to look for one again.
        [...rule.needles.needles, ...rule.needles.escapes].filter((text) => !text.includes('\\')),
  );
  const setsOf = new Map<string, NeedleSet>();
  const requirementOf = (eventSource: string, eventName: string): Requirement => {
    const texts = new Set<string>();
    for (const [i, rule] of rules.entries()) {
      if (!rule.selects(eventSource, eventName)) continue;
      const needles = needlesOf[i];
      if (needles === null || needles === undefined) return ANY_RECORD;
      needles.forEach((text) => texts.add(text));
    }
    // APIs selected by the same rules share one set.
    const key = [...texts].sort().join('\0');
    let set = setsOf.get(key);
    if (set === undefined) {
      set = new NeedleSet([...texts].map((text) => Buffer.from(text, 'utf8')));
      if (setsOf.size < MAX_CACHED_SETS) setsOf.set(key, set);
    }
    return set;
  };
  const cached = new Map<string, Requirement>();
  const fixed = FIXED.map((text) => new ByteNeedle(Buffer.from(text, 'utf8')));
  return (chunk) => {
    const [backslash, sourceKey, nameKey] = fixed.map((needle) => new NeedleCursor(chunk, needle)) as [NeedleCursor, NeedleCursor, NeedleCursor];
    return (start, end) => {
      if (backslash.within(start, end)) return true;
      const source = rawStringValue(chunk, sourceKey, start, end);
      if (source === null) return true;
      const name = rawStringValue(chunk, nameKey, start, end);
      if (name === null) return true;
      const pair = `${source}\n${name}`;
      let requirement = cached.get(pair);
      if (requirement === undefined) {
        requirement = requirementOf(source, name);
        if (cached.size < MAX_CACHED_PAIRS) cached.set(pair, requirement);
      }
      if (requirement === ANY_RECORD) return true;
      // Only the needles of the rules this API selects, and only through this record, in one pass:
      // searching the chunk once per needle costs a pass over every record per needle, most of them
      // for rules whose API the record is not (50 rules' needles cost more than parsing everything).
      return requirement.anyWithin(chunk, start, end);
    };
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;

/**
 * The string value of the key searched as `key` in `chunk[start, end)`, read from the raw bytes, or
 * null when unsure. Sound when the record holds no backslash (checked first), so that the key's bytes are
 * the only way to write that key:
 * - the key's bytes occur exactly once in the record: a second occurrence (a duplicate key, which
 *   `JSON.parse` resolves to the last; the same key nested in `requestParameters`) is unsure;
 * - that occurrence is a key: after `{` or `,` and before `:`, blanks allowed (not the tail of a
 *   string like `"x\"eventName"`, not a string in an array or a value);
 * - its value is a string without a backslash (an escape could spell anything).
 * If the one occurrence is nested, the record has no such key at the top: its real value is missing,
 * which no rule's actions select unless they select every event (rules the gate never rules out by
 * their actions). So the value read can only make the gate keep more rules than it should, never fewer.
 */
function rawStringValue(chunk: Buffer, key: NeedleCursor, start: number, end: number): string | null {
  const at = key.firstFrom(start);
  const after = at + key.needle.length;
  if (at < 0 || after > end) return null;
  // Moves the cursor to the next occurrence, where the next record's search would start anyway.
  if (key.within(after, end)) return null;
  let before = at - 1;
  while (before > start && isBlank(chunk[before]!)) before--;
  if (chunk[before] !== OPEN_BRACE && chunk[before] !== COMMA) return null;
  let p = skipBlanks(chunk, after, end);
  if (chunk[p] !== COLON) return null;
  p = skipBlanks(chunk, p + 1, end);
  if (p >= end || chunk[p] !== QUOTE) return null;
  const open = p + 1;
  for (p = open; p < end && chunk[p] !== QUOTE; p++) if (chunk[p] === BACKSLASH) return null;
  return p < end ? chunk.toString('utf8', open, p) : null;
}

function skipBlanks(chunk: Buffer, p: number, end: number): number {
  while (p < end && isBlank(chunk[p]!)) p++;
  return p;
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}
