/**
 * `--summary` with rules: one row per rule. An event that matched several rules is counted under each,
 * so before the summary sees it, it is fanned out into one copy per rule.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../language/json';
import { ndjsonLines } from '../output/ndjson-lines';
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

/** NDJSON lines of events with `_ctq.rules` → one line per rule, each naming that rule alone. */
export function fanOutByRule(text: string): string {
  let out = '';
  for (const line of ndjsonLines(text)) {
    const event = JSON.parse(line) as JsonObject;
    const ctq = event._ctq;
    const rules = isJsonObject(ctq) && Array.isArray(ctq.rules) ? ctq.rules : null;
    if (rules === null || rules.length <= 1) {
      out += line + '\n';
      continue;
    }
    const titles = isJsonObject(ctq) && Array.isArray(ctq.titles) ? ctq.titles : [];
    rules.forEach((rule, i) => (out += JSON.stringify({ ...event, _ctq: { ...(ctq as JsonObject), rules: [rule], titles: [titles[i] ?? null] } }) + '\n'));
  }
  return out;
}
