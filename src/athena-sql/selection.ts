/**
 * The IAM-action selection (src/selection) as `eventsource`/`eventname` conditions, a superset of
 * what `ActionSelection.matches` accepts:
 * - an exact service: `lower(eventsource) IN (its sources)` and the action glob as a
 *   case-insensitive `LIKE` on `lower(eventname)` (`*` and `?` → `%`, the rest escaped; see `likeOfGlob`);
 * - an exact action also matches the names CloudTrail logs it under, which are not the action's
 *   name for every API (`s3:ListBucket` is logged as ListObjects and ListObjectsV2): the selection
 *   layer's translations (`SelectedAction.lookupNames`, src/selection/action-names.ts) join the
 *   action's own name in `lower(eventname) IN (…)`;
 * - a service glob: the name test only — a service's event source need not start with its prefix
 *   (`cloudwatch` logs as `monitoring.amazonaws.com`), and services missing from ctq's table match too;
 *   the selection does not translate names under a service glob, so neither does this;
 * - services that append an API version to event names (Lambda's `GetFunction20150331v2`) are
 *   matched by ctq with the suffix stripped, so their pattern gets a trailing `%`; a service glob
 *   may cover such a service, so its pattern does too;
 * - `*:*` or no action: nothing.
 * Action names only hold ASCII letters, digits and `_.-` (checked by src/selection), and so do the
 * logged names of the translation table, so `lower()` folds them the same in Java and JavaScript.
 */
import { selectsEveryEvent, serviceInfo, type SelectedAction } from '../selection';
import { allOf, anyOf, type Superset } from './condition';
import { LIKE_ESCAPE, likeOfGlob, sqlString } from './sql-text';

export function pushSelection(actions: readonly SelectedAction[]): Superset {
  if (selectsEveryEvent(actions)) return null;
  return anyOf(actions.map(pushAction));
}

function pushAction(action: SelectedAction): Superset {
  if (!action.sourcesComplete) return nameCondition(action.actionGlob, true, []);
  const versioned = serviceInfo(action.service).versionedEventNames;
  const sources = action.eventSources.map(sqlString).join(', ');
  return allOf([`lower(eventsource) IN (${sources})`, nameCondition(action.actionGlob, versioned, action.lookupNames ?? [])]);
}

const WILDCARD = /[*?]/;

/** `loggedAs`: the names CloudTrail logs an exact action under (empty for a glob). */
function nameCondition(glob: string, versioned: boolean, loggedAs: readonly string[]): Superset {
  if (/^\*+$/.test(glob)) return null;
  const lowered = glob.toLowerCase();
  const exact = !WILDCARD.test(lowered);
  const others = exact ? loggedAs.map((name) => name.toLowerCase()).filter((name) => name !== lowered) : [];
  if (exact && !versioned) return eventNameIn([lowered, ...others]);
  const pattern = likeOfGlob(lowered) + (versioned && !lowered.endsWith('*') ? '%' : '');
  const like = `lower(eventname) LIKE ${sqlString(pattern)} ESCAPE ${sqlString(LIKE_ESCAPE)}`;
  return others.length === 0 ? like : anyOf([like, eventNameIn(others)]);
}

function eventNameIn(lowered: readonly string[]): string {
  const names = [...new Set(lowered)];
  return names.length === 1 ? `lower(eventname) = ${sqlString(names[0]!)}` : `lower(eventname) IN (${names.map(sqlString).join(', ')})`;
}
