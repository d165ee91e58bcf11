/**
 * The member requirement of a query (language/member-requirement.ts) as a record pre-filter on raw
 * bytes: each member name is searched through the whole chunk once (`"readOnly"`, natively), and a
 * record passes a clause when one of the name's occurrences inside it is followed by blanks, `:`,
 * blanks and one of the values as written. A record holding a backslash passes whatever it holds (see
 * the requirement's header): one more native search through the chunk.
 */
import type { MemberAlternative, MemberRequirement, RecordPrefilter } from '../../language/runtime';
import { ByteNeedle, occursAt, RecordNeedleCursor } from './byte-needle';
import { skipJsonSpace } from './json-scan';

const BACKSLASH = new ByteNeedle(Buffer.from('\\'));
const COLON = 0x3a;

interface SearchedAlternative {
  readonly name: ByteNeedle;
  readonly values: readonly Buffer[];
}

export function memberGate(requirement: MemberRequirement): RecordPrefilter {
  const clauses = requirement.clauses.map((clause) => clause.map(searched));
  return (chunk) => {
    const backslash = new RecordNeedleCursor(chunk, BACKSLASH);
    const cursors = clauses.map((clause) => clause.map((alternative) => ({ cursor: new RecordNeedleCursor(chunk, alternative.name), values: alternative.values })));
    return (start, end) => {
      if (backslash.firstWithin(start, end) >= 0) return true;
      for (const clause of cursors) if (!clause.some(({ cursor, values }) => holdsWithin(chunk, cursor, values, start, end))) return false;
      return true;
    };
  };
}

function searched({ name, values }: MemberAlternative): SearchedAlternative {
  return { name: new ByteNeedle(Buffer.from(JSON.stringify(name), 'utf8')), values: values.map((value) => Buffer.from(value, 'utf8')) };
}

/** Whether the name occurs in `[start, end)` as a member whose value is one of `values`. */
function holdsWithin(chunk: Buffer, cursor: RecordNeedleCursor, values: readonly Buffer[], start: number, end: number): boolean {
  const length = cursor.needle.length;
  for (let at = cursor.firstWithin(start, end); at >= 0; at = cursor.firstWithin(at + 1, end)) {
    let p = skipJsonSpace(chunk, at + length, end);
    if (chunk[p] !== COLON) continue; // the name as a value (`"eventName":"readOnly"`), not as a key
    p = skipJsonSpace(chunk, p + 1, end);
    for (const value of values) if (occursAt(chunk, p, value, end)) return true;
  }
  return false;
}
