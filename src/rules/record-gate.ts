/**
 * A per-record gate for a rule set, on the record's raw bytes: read its top-level members without
 * parsing it (top-level-members.ts), keep the rules whose actions select its eventSource and
 * eventName, and parse the record only when one of those rules could match it. Detections are mostly
 * "this API, and this value": most records then need no `JSON.parse` at all.
 * - A rule that reads only top-level members (`$.errorCode == "AccessDenied"`, `$.eventName in […]`,
 *   `$.readOnly == false`) is decided here, by its own test on an event made of those members: when
 *   it reads only eventSource and eventName, once per API.
 * - Any other rule is ruled out only when none of its literals occurs in the record (NeedleSet).
 *
 * It is SOUND, like the literal pre-filter (language/prefilter.ts): false only when no rule can match
 * the record as `JSON.parse` reads it; true whenever the raw reading is unsure.
 */
import type { JsonObject, JsonValue, LiteralNeedles, RecordPrefilter } from '../language';
import { selectsEveryEvent, type ActionSelection } from '../selection';
import { ByteNeedle, NeedleCursor } from '../sources/local/byte-needle';
import { NeedleSet } from './needle-set';
import { TextInterner } from './text-interner';
import { ABSENT, NESTED, SCALAR, STRING, TopLevelMembers } from './top-level-members';

/** What the gate needs of one rule. */
export interface GatedRule {
  readonly selects: (eventSource: string, eventName: string) => boolean;
  /** The literals of which one the rule requires (null: none). */
  readonly needles: LiteralNeedles | null;
  /** The top-level members the rule's test reads, when it reads nothing else (members-read.ts); else null. */
  readonly reads: ReadonlySet<string> | null;
  /** The rule's match expressions, on an event its actions select. */
  readonly holds: (event: JsonObject) => boolean;
}

/** The test of a rule that selects every event: such a rule is never ruled out by its actions. */
export const SELECTS_ALL = (): boolean => true;

export function gatedRule(
  selection: ActionSelection,
  needles: LiteralNeedles | null,
  reads: ReadonlySet<string> | null,
  holds: (event: JsonObject) => boolean,
): GatedRule {
  return { selects: selectsEveryEvent(selection.actions) ? SELECTS_ALL : (source, name) => selection.matches(source, name), needles, reads, holds };
}

/**
 * A record with any backslash is parsed. Any character of a key or a value may be written `\uXXXX`
 * (and `/` as `\/`): such a record could spell `eventName`, or a rule's literal, in a way no byte
 * search finds. And `lookup-events` output wraps the event as a JSON string in CloudTrailEvent
 * (records.ts reads the inner event), whose quotes are all escaped: the members read here would be
 * the wrapper's. One byte is found with `memchr` through the whole chunk, once; CloudTrail records
 * rarely hold one (policy documents as strings do, and are parsed).
 */
const BACKSLASH = new ByteNeedle(Buffer.from('\\'));

/** Members every gate reads: the API, and the wrapper of lookup-events output (whose event is inside). */
const SOURCE = 0;
const NAME = 1;
const WRAPPER = 2;
const FIXED_MEMBERS = ['eventSource', 'eventName', 'CloudTrailEvent'];

/** What the rules an API selects need of its records. */
interface Plan {
  /** Some rule must see the parsed record (it has no literal, or its test held on the API alone). */
  readonly parse: boolean;
  /** Rules decided on the record's members, and those members (by index), besides eventSource and eventName. */
  readonly decided: readonly GatedRule[];
  readonly members: readonly number[];
  /** The literals of the other rules, one of which must occur; null: no such rule. */
  readonly needles: NeedleSet | null;
}

const PARSE: Plan = { parse: true, decided: [], members: [], needles: null };

/** Past this many distinct (eventSource, eventName) pairs the input is not CloudTrail-like: stop caching. */
const MAX_CACHED_PAIRS = 10_000;
/** Distinct needle sets are as many as distinct combinations of rules an API selects: few. */
const MAX_CACHED_SETS = 256;

/**
 * The gate for these rules, or null when it could never rule a record out: some rule selects every
 * event (`*:*`, or no action), reads more than top-level members and requires no literal, so every
 * record must be parsed anyway.
 */
export function recordGate(rules: readonly GatedRule[]): RecordPrefilter | null {
  if (rules.length === 0 || rules.some((rule) => rule.needles === null && rule.reads === null && rule.selects === SELECTS_ALL)) return null;
  const memberNames = [...new Set([...FIXED_MEMBERS, ...rules.flatMap((rule) => [...(rule.reads ?? [])])])];
  const memberIndex = new Map(memberNames.map((name, index) => [name, index]));
  const planOf = planner(rules, memberIndex);
  const plans = new Map<string, Map<string, Plan>>();
  let cachedPairs = 0;
  const members = new TopLevelMembers(memberNames);
  const texts = new TextInterner();
  const { kinds, starts, ends } = members;
  return (chunk) => {
    const backslash = new NeedleCursor(chunk, BACKSLASH);
    return (start, end) => {
      if (backslash.within(start, end)) return true;
      if (!members.read(chunk, start, end) || kinds[WRAPPER] !== ABSENT || kinds[SOURCE] !== STRING || kinds[NAME] !== STRING) return true;
      const source = texts.text(chunk, starts[SOURCE]!, ends[SOURCE]!);
      const name = texts.text(chunk, starts[NAME]!, ends[NAME]!);
      let byName = plans.get(source);
      let plan = byName?.get(name);
      if (plan === undefined) {
        plan = planOf(source, name);
        if (cachedPairs < MAX_CACHED_PAIRS) {
          if (byName === undefined) plans.set(source, (byName = new Map()));
          byName.set(name, plan);
          cachedPairs++;
        }
      }
      if (plan.parse) return true;
      if (plan.decided.length > 0) {
        const event: JsonObject = { eventSource: source, eventName: name };
        for (const member of plan.members) {
          const kind = kinds[member];
          if (kind === STRING) event[memberNames[member]!] = texts.text(chunk, starts[member]!, ends[member]!);
          else if (kind === SCALAR) {
            const value = scalarValue(chunk, starts[member]!, ends[member]!);
            if (value === undefined) return true;
            event[memberNames[member]!] = value;
          }
          // An object or array is left to JSON.parse (a rule that compares one whole is rare).
          else if (kind === NESTED) return true;
        }
        for (const rule of plan.decided) if (rule.holds(event)) return true;
      }
      // Only the needles of the rules this API selects, and only through this record, in one pass:
      // searching the chunk once per needle costs a pass over every record per needle, most of them
      // for rules whose API the record is not.
      return plan.needles !== null && plan.needles.anyWithin(chunk, start, end);
    };
  };
}

/** Makes the plan of each API from the rules. */
function planner(rules: readonly GatedRule[], memberIndex: ReadonlyMap<string, number>): (eventSource: string, eventName: string) => Plan {
  const needlesOf = rules.map((rule) =>
    rule.needles === null
      ? null
      : // A backslash makes the record parsed before any rule is looked at: no need to look for one again.
        [...rule.needles.needles, ...rule.needles.escapes].filter((text) => !text.includes('\\')),
  );
  const setsOf = new Map<string, NeedleSet>();
  const needleSet = (texts: ReadonlySet<string>): NeedleSet => {
    // APIs selected by the same rules share one set.
    const key = [...texts].sort().join('\0');
    let set = setsOf.get(key);
    if (set === undefined) {
      set = new NeedleSet([...texts].map((text) => Buffer.from(text, 'utf8')));
      if (setsOf.size < MAX_CACHED_SETS) setsOf.set(key, set);
    }
    return set;
  };
  return (eventSource, eventName) => {
    const decided: GatedRule[] = [];
    const members = new Set<number>();
    const texts = new Set<string>();
    let searched = false;
    for (const [i, rule] of rules.entries()) {
      if (!rule.selects(eventSource, eventName)) continue;
      const reads = rule.reads;
      if (reads !== null) {
        const others = [...reads].filter((name) => name !== 'eventSource' && name !== 'eventName');
        if (others.length === 0) {
          if (rule.holds({ eventSource, eventName })) return PARSE;
          continue;
        }
        decided.push(rule);
        others.forEach((name) => members.add(memberIndex.get(name)!));
        continue;
      }
      const needles = needlesOf[i];
      if (needles === null || needles === undefined) return PARSE;
      searched = true;
      needles.forEach((text) => texts.add(text));
    }
    return { parse: false, decided, members: [...members], needles: searched ? needleSet(texts) : null };
  };
}

const LITERALS: readonly (readonly [Buffer, JsonValue])[] = [
  [Buffer.from('true'), true],
  [Buffer.from('false'), false],
  [Buffer.from('null'), null],
];
/** JSON's number grammar: `Number()` reads more (`0x1`, `Infinity`, ` 1`) than `JSON.parse` does. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The value of a scalar's text as `JSON.parse` reads it, or undefined when it is not valid JSON. */
function scalarValue(bytes: Buffer, start: number, end: number): JsonValue | undefined {
  for (const [text, value] of LITERALS) if (bytes.subarray(start, end).equals(text)) return value;
  const text = bytes.toString('latin1', start, end);
  return JSON_NUMBER.test(text) ? Number(text) : undefined;
}
