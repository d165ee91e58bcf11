/**
 * A finer requirement than the literal pre-filter's (prefilter.ts), for `path == literal` and
 * `path in [ … ]`: not only must the literal occur in the event's raw JSON text, it must occur as the
 * value of a member with the path's last name: `"readOnly"`, blanks, `:`, blanks, `false`. The literal
 * `false` is in nearly every CloudTrail event; `"readOnly":false` in a third of them. A scanner that
 * searches the bytes for the name (sources/local/member-gate.ts) then parses only the records that
 * hold such a member.
 *
 * It is SOUND in the same way: a record without the member so written cannot match, because
 * - only plain paths are looked at (members and indexes: one value, read by property access), whose
 *   value, when the path selects one, is the value of a member with the path's last name somewhere in
 *   the text (the top level or deeper: any occurrence will do, so more records pass, never fewer);
 * - `==` of such a value with a string, `true` or `false` is strict equality (compile.ts), and each of
 *   these has one spelling in JSON text without backslashes: the string's content between quotes when
 *   it holds nothing JSON escapes, the keyword itself. `== null` is true for a missing member, and
 *   numbers have many spellings (`1`, `1.0`, `1e0`): neither gives a requirement;
 * - a record with any backslash may spell the name or the value another way (`\u0066alse`, or the
 *   whole event as JSON text inside `CloudTrailEvent`, its quotes written `\"`): the scanner passes
 *   every such record, and the name must itself need no escaping.
 * `a and b` keeps both sides' clauses; `a or b` needs one of each side and joins them into one clause.
 */
import type { Expr, Operand } from './ast';
import type { JsonValue } from './json';
import { writtenPlainlyInJson } from './strings';
import { fold } from './visitor';

/** A member that must occur with one of these values, as JSON writes them (`"AccessDenied"`, `false`). */
export interface MemberAlternative {
  readonly name: string;
  readonly values: readonly string[];
}

/** Every clause must hold; a clause holds when one of its alternatives occurs. */
export interface MemberRequirement {
  readonly clauses: readonly (readonly MemberAlternative[])[];
}

/** Past this many values in a clause, or clauses in all, the search costs more than parsing saves. */
const MAX_VALUES = 32;
const MAX_CLAUSES = 4;

export function memberRequirement(expr: Expr): MemberRequirement | null {
  const clauses = fold<MemberAlternative[][] | null>(expr, (node, [left = null, right = null]) => {
    switch (node.kind) {
      case 'and':
        if (left === null || right === null) return left ?? right;
        return [...left, ...right].slice(0, MAX_CLAUSES);
      case 'or':
        return left === null || right === null ? null : joined(left[0]!, right[0]!);
      case 'compare':
        if (node.op !== '==') return null;
        return equality(node.left, node.right) ?? equality(node.right, node.left);
      case 'in':
        return node.negated || node.ignoreCase ? null : alternative(node.subject, node.list.value);
      default:
        return null;
    }
  });
  return clauses === null ? null : { clauses };
}

/** The requirements of several expressions that must all hold (a query's `--match` list), or null when none has one. */
export function allOf(requirements: readonly (MemberRequirement | null)[]): MemberRequirement | null {
  const clauses = requirements.flatMap((requirement) => requirement?.clauses ?? []).slice(0, MAX_CLAUSES);
  return clauses.length === 0 ? null : { clauses };
}

function equality(subject: Operand, other: Operand): MemberAlternative[][] | null {
  return other.kind === 'literal' ? alternative(subject, [other.value]) : null;
}

/** `subject == one of values`, when the subject is a plain path ending in a member and every value has one spelling. */
function alternative(subject: Operand, values: readonly JsonValue[]): MemberAlternative[][] | null {
  if (subject.kind !== 'path' || subject.steps === null) return null;
  const last = subject.steps.at(-1);
  if (last?.kind !== 'member' || !writtenPlainlyInJson(last.name)) return null;
  const spellings = new Set<string>();
  for (const value of values) {
    const spelling = spellingOf(value);
    if (spelling === null) return null;
    spellings.add(spelling);
  }
  if (spellings.size === 0 || spellings.size > MAX_VALUES) return null;
  return [[{ name: last.name, values: [...spellings] }]];
}

/** One alternative per name: a clause is searched once per name. */
function joined(left: readonly MemberAlternative[], right: readonly MemberAlternative[]): MemberAlternative[][] | null {
  const byName = new Map<string, Set<string>>();
  for (const { name, values } of [...left, ...right]) {
    const set = byName.get(name) ?? new Set<string>();
    for (const value of values) set.add(value);
    byName.set(name, set);
  }
  const clause = [...byName].map(([name, values]) => ({ name, values: [...values] }));
  return clause.reduce((n, a) => n + a.values.length, 0) > MAX_VALUES ? null : [clause];
}

/** The one way JSON text without backslashes writes the value, or null (several ways, or it needs escapes). */
function spellingOf(value: JsonValue): string | null {
  if (value === true || value === false) return String(value);
  if (typeof value === 'string' && writtenPlainlyInJson(value)) return JSON.stringify(value);
  return null;
}
