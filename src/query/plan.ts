/**
 * The LookupEvents plan: which lookups, in which regions, over which time window, cover every event
 * the query can match. The union of the lookups' results is a superset of the matches; the caller
 * re-checks the action selection and every `--match` expression on each event it gets back.
 */
import type { Expr } from '../language/ast';
import { prefixesOfEventSource, serviceInfo, type SelectedAction } from '../selection';
import { attributeRank, bestPushdown, pushdownCovers, pushdownRank, type LookupAttribute } from './pushdown';

export type { LookupAttribute, LookupAttributeKey } from './pushdown';

/** What planning reads of a selected action (see `src/selection`). */
export type PlannedAction = SelectedAction;

export interface PlannedSelection {
  readonly actions: readonly PlannedAction[];
}

export interface LookupWindow {
  readonly start: Date;
  readonly end: Date;
}

export interface Lookup extends LookupWindow {
  readonly region: string;
  /** `null` is a full scan of the region's event history. */
  readonly attribute: LookupAttribute | null;
  /** What this lookup covers, for `explain`: the actions or the pushed-down condition. */
  readonly covers: string;
}

export interface Plan {
  readonly lookups: readonly Lookup[];
  readonly regions: readonly string[];
  readonly window: LookupWindow;
}

export interface PlanInput {
  readonly selection: PlannedSelection;
  /** The `--match` expressions; the CLI ANDs them. */
  readonly matches: readonly Expr[];
  readonly regions: readonly string[];
  /** Default: the last 90 days, all that event history keeps. */
  readonly window?: LookupWindow;
  readonly now?: Date;
  /** Scans chosen elsewhere (`--rules`: see rule-scans.ts), instead of from `selection` and `matches`. */
  readonly scans?: readonly Scan[];
}

/** Event history keeps "the past 90 days of management events" (view-cloudtrail-events.md). */
export const HISTORY_DAYS = 90;

export function defaultWindow(now: Date): LookupWindow {
  return { start: new Date(now.getTime() - HISTORY_DAYS * 24 * 3600 * 1000), end: now };
}

/** A lookup before it is given a region and a window. */
export interface Scan {
  readonly attribute: LookupAttribute | null;
  readonly covers: string;
}

export function planLookups(input: PlanInput): Plan {
  const window = input.window ?? defaultWindow(input.now ?? new Date());
  const scans = input.scans ?? chooseScans(input.selection, input.matches);
  const regions = [...new Set(input.regions)];
  const lookups = regions.flatMap((region) => scans.map((scan) => ({ region, ...scan, start: window.start, end: window.end })));
  return { lookups, regions, window };
}

/**
 * The scans for one region: from the action selection, unless a `--match` conjunct gives one scan
 * that is more selective than the selection's least selective scan (the union is only as narrow as
 * its widest member), or as selective and replaces several scans by one.
 */
export function chooseScans(selection: PlannedSelection, matches: readonly Expr[]): Scan[] {
  const fromSelection = selectionScans(selection);
  const pushdown = bestPushdown(matches);
  if (pushdown === null) return fromSelection;
  const widest = Math.min(...fromSelection.map((s) => attributeRank(s.attribute?.key ?? null)));
  const rank = pushdownRank(pushdown);
  if (rank > widest || (rank === widest && fromSelection.length > pushdown.attributes.length)) {
    // Sound because every matching event satisfies the conjunct, whatever action it is.
    return pushdown.attributes.map((attribute) => ({ attribute, covers: pushdownCovers(pushdown, attribute) }));
  }
  return fromSelection;
}

/**
 * Scans covering the action selection (the selection matches an event if any action does):
 * - any `*:*`, or no action at all → one full scan;
 * - a glob within known services → one EventSource scan per event source, shared by all actions
 *   of that service;
 * - an exact action → an EventName scan, unless its service is already scanned whole. EventName
 *   alone also returns other services' events of the same name; the client-side re-check drops
 *   them;
 * - a glob over services (`*:Get*`, `s3*:List*`) → a full scan: services missing from ctq's table
 *   match too, so no list of event sources is complete.
 */
function selectionScans(selection: PlannedSelection): Scan[] {
  const actions = selection.actions;
  const full = [{ attribute: null, covers: coversText(actions) }];
  if (actions.length === 0 || actions.some((a) => a.matchesAll)) return full;
  const bySource = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  const exact: { action: PlannedAction; name: string }[] = [];
  const addSource = (source: string, text: string): void => void bySource.set(source, [...(bySource.get(source) ?? []), text]);
  for (const action of actions) {
    const name = lookupName(action);
    if (name !== null) {
      exact.push({ action, name });
      // `*:ConsoleLogin`: a service that appends its API version to event names (Lambda logs
      // `GetFunction20150331v2`) is matched by the selection but missed by an EventName lookup of
      // the bare name, so such services are scanned by source.
      if (!action.sourcesComplete) for (const source of action.eventSources.filter(hasVersionedEventNames)) addSource(source, action.text);
    } else if (!action.sourcesComplete || action.eventSources.length === 0) {
      return full;
    } else {
      for (const source of action.eventSources) addSource(source, action.text);
    }
  }
  for (const { action, name } of exact) {
    const scannedWhole = action.sourcesComplete && action.eventSources.length > 0 && action.eventSources.every((s) => bySource.has(s));
    if (!scannedWhole) byName.set(name, [...(byName.get(name) ?? []), action.text]);
  }
  return [
    ...[...bySource].map(([source, texts]) => ({ attribute: { key: 'EventSource' as const, value: source }, covers: texts.join(' ') })),
    ...[...byName].map(([name, texts]) => ({ attribute: { key: 'EventName' as const, value: name }, covers: texts.join(' ') })),
  ];
}

/**
 * The name to look up for an exact action, or null to scan its service instead. IAM action names
 * are case-insensitive and the selection matches eventName without regard to case, but LookupEvents
 * compares EventName exactly and `exactAction` is as typed: `s3:getobject` looked up as
 * `getobject` would find nothing. CloudTrail event names are PascalCase (`GetObject`,
 * `AssumeRole`, `ConsoleLogin`), so only a name written that way is looked up by name; any other
 * spelling scans the service, which is always a superset. A PascalCase name with a wrong inner
 * case (`Getobject`) still slips through: nothing short of a table of every event name catches it.
 */
function lookupName(action: PlannedAction): string | null {
  const name = action.exactAction;
  return name !== null && /^[A-Z][a-z0-9]/.test(name) ? name : null;
}

function hasVersionedEventNames(eventSource: string): boolean {
  return prefixesOfEventSource(eventSource).some((prefix) => serviceInfo(prefix).versionedEventNames);
}

function coversText(actions: readonly PlannedAction[]): string {
  return actions.length === 0 ? '(no actions)' : actions.map((a) => a.text).join(' ');
}
