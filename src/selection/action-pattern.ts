/**
 * One `service:ActionGlob` argument: parsed, checked, and compiled into a per-event test.
 *
 * IAM compares actions without regard to case ("The prefix and the action name are case insensitive", IAM JSON policy
 * elements: Action, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html) and
 * allows the wildcards `*` and `?` in them; so does ctq, in both the service and the action part, and nothing else
 * of glob syntax (no braces, brackets or extglobs: micromatch would give them meaning).
 *
 * The action part is matched against CloudTrail's eventName, which is the API operation's name. That is the IAM
 * action's name for most APIs, not all: an exact action is also matched against the names CloudTrail logs it under
 * (s3:ListAllMyBuckets as ListBuckets, see action-names.ts), and checked against the service's actions; a glob is
 * matched against event names only. API Gateway's actions are HTTP verbs (see the table's selectWarning).
 */
import micromatch from 'micromatch';
import { exactActionNames, knownNames, VERSION_SUFFIX } from './action-names';
import { serviceInfo, knownPrefixes, prefixesOfEventSource, type ServiceInfo } from './service-table';

/** What the planner needs to know of one selected action. */
export interface SelectedAction {
  /** The argument as given. */
  readonly text: string;
  /** The service part, lower case; may hold `*` or `?`. */
  readonly service: string;
  /** The action part as given; may hold `*` or `?`. Matched against eventName without regard to case. */
  readonly actionGlob: string;
  /**
   * The eventSource values this action can match, sorted. For an exact service, all of them (the table's, or the
   * `<prefix>.amazonaws.com` guess for an unknown prefix). For a service glob, those of the known prefixes it
   * matches: see `sourcesComplete`.
   */
  readonly eventSources: readonly string[];
  /**
   * False when the service part is a glob: events of services missing from the table can match too, so a planner
   * that pushes down `eventSources` alone may miss some.
   */
  readonly sourcesComplete: boolean;
  /**
   * For an action without wildcard, the event names an EventName lookup must ask for, in CloudTrail's spelling
   * (LookupEvents compares EventName exactly): `s3:getobject` → GetObject, `s3:ListBucket` → ListObjects and
   * ListObjectsV2 (see action-names.ts). Null when no lookup by name can be trusted: a glob, a versioned service's
   * action whose logged name is not in the table (Lambda's `DeleteFunction<version>`), or a name of an unknown
   * service that is not written as CloudTrail writes names (PascalCase). For a service glob (`*:ConsoleLogin`) the
   * name is as typed, although a versioned service among those matched would log `<name><version>`.
   */
  readonly lookupNames: readonly string[] | null;
  /** Both parts are only wildcards: every event matches. */
  readonly matchesAll: boolean;
}

export type ParsedAction =
  | { readonly ok: true; readonly action: SelectedAction; readonly test: ActionTest; readonly warnings: string[] }
  | { readonly ok: false; readonly message: string };

/** Per-event test; takes the eventSource already lower-cased. */
export type ActionTest = (eventSourceLower: string, eventName: string) => boolean;

const SERVICE_CHARS = /^[a-z0-9*?-]+$/;
const ACTION_CHARS = /^[A-Za-z0-9_.*?-]+$/;
const ONLY_STARS = /^\*+$/;
const HAS_WILDCARD = /[*?]/;
/** How CloudTrail writes event names: PascalCase (`GetObject`, `AssumeRole`, `ConsoleLogin`). */
const PASCAL_CASE = /^[A-Z][a-z0-9]/;

const GLOB_OPTIONS = { nocase: true, dot: true } as const;

/**
 * `reference` false: the action is only matched against events, its name not checked against the IAM reference
 * (no warning about it, and no lookup names from it; the per-event test is the same, see `exactServiceAction`).
 */
export function parseAction(text: string, reference = true): ParsedAction {
  const colon = text.indexOf(':');
  if (colon < 0) {
    return { ok: false, message: `IAM action '${text}' has no ':': write service:Action, e.g. s3:GetObject or 's3:*'` };
  }
  const service = text.slice(0, colon).toLowerCase();
  const actionGlob = text.slice(colon + 1);
  if (service === '') return { ok: false, message: `IAM action '${text}' has no service before ':' (e.g. s3:${actionGlob})` };
  if (actionGlob === '') return { ok: false, message: `IAM action '${text}' has no action after ':' (e.g. ${service}:*)` };
  if (!SERVICE_CHARS.test(service)) {
    return {
      ok: false,
      message: `IAM action '${text}': the service '${service}' may hold only letters, digits, '-' and the wildcards * and ?`,
    };
  }
  if (!ACTION_CHARS.test(actionGlob)) {
    return {
      ok: false,
      message: `IAM action '${text}': the action '${actionGlob}' may hold only letters, digits, '_', '.', '-' and the wildcards * and ?`,
    };
  }

  const nameRegex = micromatch.makeRe(actionGlob, GLOB_OPTIONS);
  const anyName = ONLY_STARS.test(actionGlob);
  const nameMatches = (name: string, versioned: boolean): boolean =>
    anyName || nameRegex.test(name) || (versioned && nameRegex.test(name.replace(VERSION_SUFFIX, '')));

  return HAS_WILDCARD.test(service)
    ? serviceGlobAction(text, service, actionGlob, anyName, nameMatches)
    : exactServiceAction(text, service, actionGlob, nameMatches, reference);
}

type NameMatcher = (name: string, versioned: boolean) => boolean;

function exactServiceAction(
  text: string,
  service: string,
  actionGlob: string,
  nameMatches: NameMatcher,
  reference: boolean,
): ParsedAction {
  const info = serviceInfo(service);
  const warnings: string[] = [];
  if (!info.known) {
    warnings.push(
      `unknown IAM service prefix '${service}' in '${text}': matching eventSource ${info.eventSources[0]} (ctq's table of services may lack it)`,
    );
  }
  const exact = !HAS_WILDCARD.test(actionGlob);
  if (exact && info.selectWarning !== null) warnings.push(`'${text}': ${info.selectWarning}`);

  const sources = new Set(info.eventSources);
  const versioned = info.versionedEventNames;
  if (reference && !exact && !ONLY_STARS.test(actionGlob)) {
    // A glob no name of the service fits (`s3:Gett*`) would silently find nothing, as a misspelt exact action would.
    const names = knownNames(service);
    if (names !== null && !names.some((name) => nameMatches(name, versioned))) {
      warnings.push(`'${text}': no ${service} action or event name ctq knows fits '${actionGlob}'; it is still matched against each event's eventName as typed`);
    }
  }
  let lookupNames: readonly string[] | null = null;
  let loggedAs: RegExp | null = null;
  if (exact) {
    // Read from the reference, the names CloudTrail logs an action under differ from it by case alone, which the
    // test ignores: only the table's translations (`loggedAs`) change what it matches.
    const names = exactActionNames(service, actionGlob, versioned, reference);
    if (names.kind === 'missing') {
      warnings.push(
        `'${text}': ${service} has no action or event named '${actionGlob}' (nearest: ${names.nearest.join(', ')}); it is still matched as typed`,
      );
    }
    if (names.kind === 'known') {
      lookupNames = names.eventNames;
      // The names CloudTrail logs the action under, when they differ from the action (s3:ListBucket → ListObjects).
      const others = (names.eventNames ?? []).filter((n) => n.toLowerCase() !== actionGlob.toLowerCase());
      if (others.length > 0) loggedAs = new RegExp(`^(?:${others.join('|')})$`, 'i');
    } else if (PASCAL_CASE.test(actionGlob) && !versioned) {
      // Not in the reference: looked up as typed only when written as CloudTrail writes names; otherwise the
      // service's source is scanned, a superset whatever the case of the logged name.
      lookupNames = [actionGlob];
    }
  }
  const test: ActionTest = (source, name) => sources.has(source) && (nameMatches(name, versioned) || (loggedAs !== null && loggedAs.test(name)));
  return {
    ok: true,
    warnings,
    test,
    action: {
      text,
      service,
      actionGlob,
      eventSources: [...sources].sort(),
      sourcesComplete: true,
      lookupNames,
      matchesAll: false,
    },
  };
}

function serviceGlobAction(
  text: string,
  service: string,
  actionGlob: string,
  anyName: boolean,
  nameMatches: NameMatcher,
): ParsedAction {
  const anyService = ONLY_STARS.test(service);
  const serviceRegex = micromatch.makeRe(service, GLOB_OPTIONS);
  const covered: ServiceInfo[] = knownPrefixes()
    .filter((prefix) => anyService || serviceRegex.test(prefix))
    .map(serviceInfo);
  const warnings: string[] = [];
  if (covered.length === 0) {
    warnings.push(
      `'${text}': the service pattern '${service}' matches no IAM prefix ctq knows; it is still tried against each event's eventSource`,
    );
  }

  // The prefixes of an eventSource come from the table, so each event costs a map lookup and a regex or two.
  const test: ActionTest = anyService
    ? (source, name) => anyName || prefixesOfEventSource(source).some((p) => nameMatches(name, serviceInfo(p).versionedEventNames))
    : (source, name) =>
        prefixesOfEventSource(source).some(
          (p) => serviceRegex.test(p) && nameMatches(name, serviceInfo(p).versionedEventNames),
        );

  const sources = new Set(covered.flatMap((info) => info.eventSources));
  return {
    ok: true,
    warnings,
    test,
    action: {
      text,
      service,
      actionGlob,
      eventSources: [...sources].sort(),
      sourcesComplete: false,
      lookupNames: HAS_WILDCARD.test(actionGlob) || !PASCAL_CASE.test(actionGlob) ? null : [actionGlob],
      matchesAll: anyService && anyName,
    },
  };
}
