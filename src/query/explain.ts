/** `--explain` for the LookupEvents plan: what ctq would ask CloudTrail, without asking. */
import type { Lookup, Plan } from './plan';

export function explain(plan: Plan): string {
  const regions = plan.regions.length;
  const header =
    `plan: ${plan.lookups.length} lookup${plural(plan.lookups.length)} in ${regions} region${plural(regions)}, ` +
    `${iso(plan.window.start)} .. ${iso(plan.window.end)}`;
  const lines = [header];
  for (const region of plan.regions) {
    lines.push(`  ${region}`);
    for (const lookup of plan.lookups.filter((l) => l.region === region)) lines.push(`    ${describeLookup(lookup)}`);
  }
  return lines.join('\n') + '\n';
}

export function describeLookup(lookup: Lookup): string {
  const attribute = lookup.attribute === null ? 'full scan (no lookup attribute)' : `${lookup.attribute.key}=${lookup.attribute.value}`;
  return `${attribute}  ${iso(lookup.start)} .. ${iso(lookup.end)}  covers ${lookup.covers}`;
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
