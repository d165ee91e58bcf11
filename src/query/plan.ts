/**
 * The LookupEvents plan: which lookups, in which regions, over which time window, cover every event
 * the query can match. The union of the lookups' results is a superset of the matches; the caller
 * re-checks the action selection and every `--match` expression on each event it gets back.
 */
import type { ClosedWindow } from '../time/window';
import type { Expr } from '../language/ast';
import { prefixesOfEventSource, selectsEveryEvent, serviceInfo, type SelectedAction } from '../selection';
import { attributeRank, bestPushdown, pushdownCovers, pushdownRank, type LookupAttribute } from './pushdown';

export type { LookupAttribute, LookupAttributeKey } from './pushdown';

/** What planning reads of a selected action (see `src/selection`). */
export type PlannedAction = SelectedAction;

export interface PlannedSelection {
  readonly actions: readonly PlannedAction[];
}

export interface Lookup extends ClosedWindow {
  readonly region: string;
  /** `null` is a full scan of the region's event history. */
  readonly attribute: LookupAttribute | null;
  /** What this lookup covers, for `explain`: the actions or the pushed-down condition. */
  readonly covers: string;
}

export interface Plan {
  readonly lookups: readonly Lookup[];
  readonly regions: readonly string[];
  readonly window: ClosedWindow;
  /** Said to the user: a global service's Region is not among those requested. */
  readonly warnings: readonly string[];
}

export interface PlanInput {
  readonly selection: PlannedSelection;
  /** The `--match` expressions; the CLI ANDs them. */
  readonly matches: readonly Expr[];
  readonly regions: readonly string[];
  /** Default: the last 90 days, all that event history keeps. */
  readonly window?: ClosedWindow;
  readonly now?: Date;
  /**
   * The partition id of a region (`aws`, `aws-cn`, `aws-us-gov`, from the SDK's endpoint data). Without it no
   * lookup is narrowed to a global service's Region.
   */
  readonly partitionOf?: (region: string) => string;
  /** Scans chosen elsewhere (`--rules`: see rule-scans.ts), instead of from `selection` and `matches`. */
  readonly scans?: readonly Scan[];
}

/** Event history keeps "the past 90 days of management events" (view-cloudtrail-events.md). */
export const HISTORY_DAYS = 90;

export function defaultWindow(now: Date): ClosedWindow {
  return { fromMs: now.getTime() - HISTORY_DAYS * 24 * 3600 * 1000, toMs: now.getTime() };
}

/** A lookup before it is given a region and a window. */
export interface Scan {
  readonly attribute: LookupAttribute | null;
  readonly covers: string;
  /**
   * Partition → the one Region that records every event this scan can return (a global service's), from the
   * service table's `recordedIn`; absent or empty when any Region may.
   */
  readonly recordedIn?: Readonly<Record<string, string>>;
}

export function planLookups(input: PlanInput): Plan {
  const window = input.window ?? defaultWindow(input.now ?? new Date());
  const scans = input.scans ?? chooseScans(input.selection, input.matches);
  const regions = [...new Set(input.regions)];
  const warnings: string[] = [];
  const lookups: Lookup[] = [];
  for (const region of regions) {
    for (const { recordedIn = {}, ...scan } of scans) {
      if (!isRecordedIn(region, recordedIn, regions, input.partitionOf)) continue;
      const narrowed = regions.length > 1 && input.partitionOf !== undefined && recordedIn[input.partitionOf(region)] === region;
      const covers = narrowed ? `${scan.covers} (recorded in ${region} only)` : scan.covers;
      lookups.push({ region, ...scan, covers, fromMs: window.fromMs, toMs: window.toMs });
    }
  }
  for (const scan of scans) {
    const missing = recordingRegionsNotRequested(scan, regions, input.partitionOf);
    if (missing.length > 0) {
      warnings.push(`${scan.covers}: CloudTrail records these events in ${missing.join(', ')} only, which is not among the regions asked for (add it to --regions)`);
    }
  }
  return { lookups, regions, window, warnings };
}

/**
 * Whether a scan is worth running in `region`. Global services (IAM, CloudFront, Route 53, Organizations) record
 * their events in one Region of the partition ("Global service events", CloudTrail user guide,
 * cloudtrail-concepts.html#cloudtrail-concepts-global-service-events): LookupEvents elsewhere returns none of them,
 * so `iam:*` with `--regions all` is one lookup, not one per Region. If that Region was not requested, the requested
 * ones are kept (and the plan warns): ctq does not add a Region the user did not ask for.
 */
function isRecordedIn(region: string, recordedIn: Readonly<Record<string, string>>, regions: readonly string[], partitionOf: PlanInput['partitionOf']): boolean {
  if (partitionOf === undefined) return true;
  const home = recordedIn[partitionOf(region)];
  return home === undefined || home === region || !regions.includes(home);
}

function recordingRegionsNotRequested(scan: Scan, regions: readonly string[], partitionOf: PlanInput['partitionOf']): string[] {
  if (partitionOf === undefined) return [];
  const partitions = new Set(regions.map(partitionOf));
  return Object.entries(scan.recordedIn ?? {})
    .filter(([partition, home]) => partitions.has(partition) && !regions.includes(home))
    .map(([, home]) => home);
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
    return pushdown.attributes.map((attribute) => ({ attribute, covers: pushdownCovers(pushdown, attribute), recordedIn: recordedInAll(selection.actions) }));
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
  const full = [{ attribute: null, covers: coversText(actions), recordedIn: recordedInAll(actions) }];
  if (selectsEveryEvent(actions)) return full;
  const bySource = new Map<string, string[]>();
  const byName = new Map<string, PlannedAction[]>();
  const exact: { action: PlannedAction; names: readonly string[] }[] = [];
  const addSource = (source: string, text: string): void => void bySource.set(source, [...(bySource.get(source) ?? []), text]);
  for (const action of actions) {
    const names = action.lookupNames;
    if (names !== null) {
      exact.push({ action, names });
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
  for (const { action, names } of exact) {
    const scannedWhole = action.sourcesComplete && action.eventSources.length > 0 && action.eventSources.every((s) => bySource.has(s));
    if (!scannedWhole) for (const name of names) byName.set(name, [...(byName.get(name) ?? []), action]);
  }
  return [
    ...[...bySource].map(([source, texts]) => ({
      attribute: { key: 'EventSource' as const, value: source },
      covers: texts.join(' '),
      recordedIn: recordedInOf([source]),
    })),
    // EventName alone also returns other services' events of the same name (the client-side re-check drops them):
    // all of them are in the global Region only if every action the name stands for is a global service's.
    ...[...byName].map(([name, covered]) => ({
      attribute: { key: 'EventName' as const, value: name },
      covers: covered.map((a) => a.text).join(' '),
      recordedIn: recordedInAll(covered),
    })),
  ];
}

/** The partitions where every action's events are recorded in one and the same Region. */
function recordedInAll(actions: readonly PlannedAction[]): Readonly<Record<string, string>> {
  if (actions.length === 0 || actions.some((a) => !a.sourcesComplete)) return {};
  return recordedInOf(actions.flatMap((a) => a.eventSources));
}

/** The partitions where the events of every one of these sources are recorded in one and the same Region. */
function recordedInOf(sources: readonly string[]): Readonly<Record<string, string>> {
  const infos = sources.flatMap((source) => prefixesOfEventSource(source).map(serviceInfo));
  if (infos.length === 0) return {};
  const agreed: Record<string, string> = {};
  for (const [partition, region] of Object.entries(infos[0]!.recordedIn)) {
    if (infos.every((info) => info.recordedIn[partition] === region)) agreed[partition] = region;
  }
  return agreed;
}

function hasVersionedEventNames(eventSource: string): boolean {
  return prefixesOfEventSource(eventSource).some((prefix) => serviceInfo(prefix).versionedEventNames);
}

function coversText(actions: readonly PlannedAction[]): string {
  return actions.length === 0 ? '(no actions)' : actions.map((a) => a.text).join(' ');
}
