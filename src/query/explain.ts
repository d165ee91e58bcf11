/** `--explain` for the LookupEvents plan: what ctq would ask CloudTrail, without asking. */
import { terminalSafe } from '../output/terminal-safe';
import type { Lookup, Plan } from './plan';

export function explain(plan: Plan): string {
  const regions = plan.regions.length;
  const header =
    `plan: ${plan.lookups.length} lookup${plural(plan.lookups.length)} in ${regions} region${plural(regions)}, ` +
    `${iso(plan.window.fromMs)} .. ${iso(plan.window.toMs)}`;
  const lines = [header];
  const idle: string[] = [];
  for (const region of plan.regions) {
    const lookups = plan.lookups.filter((l) => l.region === region);
    if (lookups.length === 0) {
      idle.push(region);
      continue;
    }
    lines.push(`  ${region}`);
    for (const lookup of lookups) lines.push(`    ${describeLookup(lookup)}`);
  }
  // A global service's events are looked up only in the Region that records them (see plan.ts).
  if (idle.length > 0) {
    lines.push(`  no lookup in ${idle.length} region${plural(idle.length)} (${idle.join(', ')}): CloudTrail records the selected events in the region${plural(regions - idle.length)} above only`);
  }
  return lines.join('\n') + '\n';
}

/** Values and what a lookup covers come from the user's expression (or a rule file someone else wrote): escaped for the terminal. */
export function describeLookup(lookup: Lookup): string {
  const attribute = lookup.attribute === null ? 'full scan (no lookup attribute)' : `${lookup.attribute.key}=${terminalSafe(lookup.attribute.value)}`;
  return `${attribute}  ${iso(lookup.fromMs)} .. ${iso(lookup.toMs)}  covers ${terminalSafe(lookup.covers)}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
