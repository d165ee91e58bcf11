/**
 * `--summary` with rules: one row per rule. An event that matched several rules is counted under each,
 * so before the summary sees it, it is fanned out into one copy per rule.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../language/json';
import { MatchRecord } from '../output/match-record';
import type { GroupKey } from '../output/summary';

const first = (event: JsonObject, member: 'rules' | 'titles'): JsonValue => {
  const ctq = event._ctq;
  if (!isJsonObject(ctq)) return null;
  const list = ctq[member];
  return Array.isArray(list) ? (list[0] ?? null) : null;
};

export const RULE_GROUP_KEYS: readonly GroupKey[] = [
  { name: 'rule', of: (event) => first(event, 'rules') },
  { name: 'title', of: (event) => first(event, 'titles') },
];

/** Events with `_ctq.rules` → one record per rule, each naming that rule alone. */
export function fanOutByRule(records: readonly MatchRecord[]): MatchRecord[] {
  const out: MatchRecord[] = [];
  for (const record of records) {
    const event = record.event;
    const ctq = event._ctq;
    const rules = isJsonObject(ctq) && Array.isArray(ctq.rules) ? ctq.rules : null;
    if (rules === null || rules.length <= 1) {
      out.push(record);
      continue;
    }
    const titles = isJsonObject(ctq) && Array.isArray(ctq.titles) ? ctq.titles : [];
    rules.forEach((rule, i) => out.push(MatchRecord.of({ ...event, _ctq: { ...(ctq as JsonObject), rules: [rule], titles: [titles[i] ?? null] } })));
  }
  return out;
}
