/**
 * The IAM-action selection (src/selection) as `eventsource`/`eventname` conditions, a superset of
 * what `ActionSelection.matches` accepts:
 * - an exact service: `lower(eventsource) IN (its sources)` and the action glob as a
 *   case-insensitive `LIKE` on `lower(eventname)` (`*` → `%`, `?` → `_`, the rest escaped);
 * - a service glob: the name test only — a service's event source need not start with its prefix
 *   (`cloudwatch` logs as `monitoring.amazonaws.com`), and services missing from ctq's table match too;
 * - services that append an API version to event names (Lambda's `GetFunction20150331v2`) are
 *   matched by ctq with the suffix stripped, so their pattern gets a trailing `%`; a service glob
 *   may cover such a service, so its pattern does too;
 * - `*:*` or no action: nothing.
 * Action names only hold ASCII letters, digits and `_.-` (checked by src/selection), so `lower()`
 * folds them the same in Java and JavaScript.
 */
import { serviceInfo, type SelectedAction } from '../selection';
import { allOf, anyOf, type Superset } from './condition';
import { LIKE_ESCAPE, likeOfGlob, sqlString } from './sql-text';

export function pushSelection(actions: readonly SelectedAction[]): Superset {
  if (actions.length === 0 || actions.some((action) => action.matchesAll)) return null;
  return anyOf(actions.map(pushAction));
}

function pushAction(action: SelectedAction): Superset {
  if (!action.sourcesComplete) return nameCondition(action.actionGlob, true);
  const versioned = serviceInfo(action.service).versionedEventNames;
  const sources = action.eventSources.map(sqlString).join(', ');
  return allOf([`lower(eventsource) IN (${sources})`, nameCondition(action.actionGlob, versioned)]);
}

function nameCondition(glob: string, versioned: boolean): Superset {
  if (/^\*+$/.test(glob)) return null;
  const lowered = glob.toLowerCase();
  if (!versioned && !/[*?]/.test(lowered)) return `lower(eventname) = ${sqlString(lowered)}`;
  const pattern = likeOfGlob(lowered) + (versioned && !lowered.endsWith('*') ? '%' : '');
  return `lower(eventname) LIKE ${sqlString(pattern)} ESCAPE ${sqlString(LIKE_ESCAPE)}`;
}
