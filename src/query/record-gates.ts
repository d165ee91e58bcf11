/**
 * The pre-filters a query puts on records' raw bytes after its literal search and before `JSON.parse`, each
 * SOUND as the literal is (a record is ruled out only when it cannot match), asked in this order: the
 * members the `--match` expressions compare, written with their values (`"readOnly":false`:
 * language/member-requirement.ts, sources/local/member-gate.ts); the APIs the positional actions select,
 * read raw; a rule set's own gate (rules/record-gate.ts).
 */
import { allMemberRequirements, memberRequirement, type Expr, type RecordPrefilter } from '../language/runtime';
import { gatedRule, recordGate } from '../rules/record-gate';
import { selectsEveryEvent, type ActionSelection } from '../selection';
import { memberGate } from '../sources/local/member-gate';

/** The query's gate, or null when none of them could rule a record out. */
export function queryGate(expressions: readonly Expr[], selection: ActionSelection, rulesGate: RecordPrefilter | null): RecordPrefilter | null {
  const members = allMemberRequirements(expressions.map(memberRequirement));
  return [members === null ? null : memberGate(members), selectionGate(selection), rulesGate].reduce(bothGates, null);
}

/**
 * Records whose API the selection rules out are never parsed (`ctq 'iam:*'` over a whole trail): their
 * eventSource and eventName are read from the raw bytes, as a rule set's gate reads them (rules/record-gate.ts),
 * and each API is decided once. Null when the selection takes every API.
 */
function selectionGate(selection: ActionSelection): RecordPrefilter | null {
  if (selectsEveryEvent(selection.actions)) return null;
  const gate = recordGate([gatedRule(selection, null, SOURCE_AND_NAME_ONLY, () => true)]);
  return gate === null ? null : steppingAside(gate);
}

/** Records a gate that may step aside is asked about before it judges whether it pays. */
const GATE_SAMPLE = 4000;
/** Reading a record's members costs about half a parse: past this share let through, the gate costs more than it saves. */
const GATE_MAX_PASS_SHARE = 0.5;

/**
 * The gate, until it has let through most of the first `GATE_SAMPLE` records it was asked about (`s3:*` over a
 * trail of S3 data events): from then on, on this thread, it lets every record through unread.
 */
export function steppingAside(gate: RecordPrefilter): RecordPrefilter {
  let asked = 0;
  let passed = 0;
  let aside = false;
  return (chunk) => {
    if (aside) return LET_THROUGH;
    const inner = gate(chunk);
    return (start, end) => {
      if (aside) return true;
      const pass = inner(start, end);
      if (pass) passed++;
      if (++asked === GATE_SAMPLE) aside = passed > asked * GATE_MAX_PASS_SHARE;
      return pass;
    };
  };
}

const LET_THROUGH = (): boolean => true;

/** What the selection reads of a record, besides the two members every record gate reads. */
const SOURCE_AND_NAME_ONLY: ReadonlySet<string> = new Set();

/** A record passes when it passes both (each is sound, so their conjunction is); the first is asked first. */
function bothGates(a: RecordPrefilter | null, b: RecordPrefilter | null): RecordPrefilter | null {
  if (a === null || b === null) return a ?? b;
  return (chunk) => {
    const first = a(chunk);
    const second = b(chunk);
    return (start, end) => first(start, end) && second(start, end);
  };
}
