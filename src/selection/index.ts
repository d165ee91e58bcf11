/**
 * Event selection by IAM action: the positional `IAM_ACTION` arguments (`s3:Get*`, `iam:*Policy*`, `*:*`), ORed.
 *
 * An action selects events whose eventSource is one its service logs under (see service-table.ts) and whose
 * eventName matches its action glob, without regard to case, or is a name CloudTrail logs the exact action under
 * (see action-names.ts).
 */
import { parseAction, type ActionTest, type SelectedAction } from './action-pattern';

export type { SelectedAction } from './action-pattern';
export { serviceInfo, prefixesOfEventSource, type ServiceInfo } from './service-table';

export interface ActionSelection {
  /**
   * Whether an event with this eventSource and eventName is selected. Called per event: no allocation on the
   * exact-service path. A record whose eventSource or eventName is not a string is no API call and never matches,
   * unless the selection takes everything (no action given, or one of `*:*`).
   */
  matches(eventSource: unknown, eventName: unknown): boolean;
  /** The actions in argument order, for the planner. Empty when no action was given. */
  readonly actions: readonly SelectedAction[];
}

export type ParseActionsResult =
  | { readonly ok: true; readonly selection: ActionSelection; readonly warnings: string[] }
  | { readonly ok: false; readonly message: string };

/**
 * Parses the IAM_ACTION arguments. A malformed one is a usage error naming it; an unknown service prefix is a
 * warning (its events are then looked for under `<prefix>.amazonaws.com`), and so is an exact action its service
 * does not have (naming the nearest real ones). No argument selects every event. `reference` false: see `parseAction`.
 */
export function parseActions(args: readonly string[], reference = true): ParseActionsResult {
  const actions: SelectedAction[] = [];
  const tests: ActionTest[] = [];
  const warnings: string[] = [];
  for (const arg of args) {
    const parsed = parseAction(arg, reference);
    if (!parsed.ok) return parsed;
    actions.push(parsed.action);
    tests.push(parsed.test);
    warnings.push(...parsed.warnings);
  }
  return { ok: true, selection: makeSelection(actions, tests), warnings };
}

/** Whether these actions select every event: none was given, or one of them is `*:*`. */
export function selectsEveryEvent(actions: readonly SelectedAction[]): boolean {
  return actions.length === 0 || actions.some((action) => action.matchesAll);
}

function makeSelection(actions: readonly SelectedAction[], tests: readonly ActionTest[]): ActionSelection {
  if (selectsEveryEvent(actions)) {
    return { actions, matches: () => true };
  }
  return {
    actions,
    matches(eventSource: unknown, eventName: unknown): boolean {
      if (typeof eventSource !== 'string' || typeof eventName !== 'string') return false;
      const source = eventSource.toLowerCase();
      for (const test of tests) if (test(source, eventName)) return true;
      return false;
    },
  };
}
