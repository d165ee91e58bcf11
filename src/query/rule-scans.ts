/**
 * LookupEvents scans for a rule set: each rule's own scans (from its actions and the push-down of its
 * expressions together with the global `--match`), merged so that one lookup serves every rule that
 * needs it — never one scan per rule. Sound: an event the query keeps matches the global selection
 * and `--match` AND at least one rule, so it is returned by that rule's scans.
 */
import type { Expr } from '../language/ast';
import { chooseScans, type PlannedSelection, type Scan } from './plan';

export interface PlannedRule {
  readonly selection: PlannedSelection;
  readonly expressions: readonly Expr[];
}

interface Merged {
  readonly attribute: NonNullable<Scan['attribute']>;
  readonly covers: string[];
  /**
   * For an EventName scan: the event sources each contributing rule's exact action logs under (an
   * EventSource scan of all of them already returns its events), or null when a contribution is not
   * an action of a known service (a push-down) and the scan must stay.
   */
  sources: (readonly string[])[] | null;
}

export function chooseRuleScans(selection: PlannedSelection, matches: readonly Expr[], rules: readonly PlannedRule[]): Scan[] {
  const global = chooseScans(selection, matches);
  const merged = new Map<string, Merged>();
  for (const rule of rules) {
    for (const scan of chooseScans(rule.selection, [...matches, ...rule.expressions])) {
      if (scan.attribute === null) return global; // some rule needs everything: the global scans are no wider
      const key = `${scan.attribute.key}=${scan.attribute.value}`;
      const entry = merged.get(key) ?? { attribute: scan.attribute, covers: [], sources: [] };
      entry.covers.push(scan.covers);
      if (scan.attribute.key === 'EventName' && entry.sources !== null) {
        const action = rule.selection.actions.find((a) => (a.lookupNames?.includes(scan.attribute!.value) ?? false) && a.sourcesComplete && a.eventSources.length > 0);
        if (action === undefined) entry.sources = null;
        else entry.sources.push(action.eventSources);
      }
      merged.set(key, entry);
    }
  }
  const scannedSources = new Set([...merged.values()].filter((m) => m.attribute.key === 'EventSource').map((m) => m.attribute.value));
  const perRule = [...merged.values()]
    .filter((m) => !(m.attribute.key === 'EventName' && m.sources !== null && m.sources.every((list) => list.every((s) => scannedSources.has(s)))))
    .map(({ attribute, covers }) => ({ attribute, covers: [...new Set(covers)].join(' ') }));
  // The global selection alone is also sound; it wins when it needs fewer lookups without being a full scan.
  const globalIsFull = global.some((scan) => scan.attribute === null);
  return !globalIsFull && global.length < perRule.length ? global : perRule;
}
