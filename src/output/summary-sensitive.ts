/**
 * The sensitive read-only APIs (data/sensitive-read-only.json, with the reason for each), matched like IAM_ACTION
 * arguments so that `ssm:GetParameter*` and Lambda's versioned event names work the same way here as on the command line.
 */
import list from './data/sensitive-read-only.json';
import { parseActions, serviceInfo, type ActionSelection } from '../selection';

export interface SensitiveEntry {
  readonly action: string;
  readonly why: string;
}

export const SENSITIVE_READ_ONLY: readonly SensitiveEntry[] = list.entries;

/** Every entry, parsed: for an event whose source or name is not a string, which only a catch-all entry would select. */
let whole: ActionSelection | null = null;
/** Per eventSource (lower case), the entries that can select its events, parsed when the source is first met. */
const bySource = new Map<string, ActionSelection | null>();

/** Whether an event is one of the sensitive read-only calls. */
export function isSensitiveReadOnly(eventSource: unknown, eventName: unknown): boolean {
  if (typeof eventSource !== 'string' || typeof eventName !== 'string') {
    whole ??= selectionOf(SENSITIVE_READ_ONLY);
    return whole.matches(eventSource, eventName);
  }
  const source = eventSource.toLowerCase();
  let selection = bySource.get(source);
  if (selection === undefined) {
    const entries = SENSITIVE_READ_ONLY.filter((entry) => mayLogUnder(entry.action, source));
    selection = entries.length === 0 ? null : selectionOf(entries);
    bySource.set(source, selection);
  }
  return selection !== null && selection.matches(eventSource, eventName);
}

/**
 * Whether an action can select events of `source`: an exact service's action selects only the sources its service
 * logs under (action-pattern.ts, `exactServiceAction`); a service glob may select any.
 */
function mayLogUnder(action: string, source: string): boolean {
  const service = action.slice(0, Math.max(0, action.indexOf(':'))).toLowerCase();
  return /[*?]/.test(service) || serviceInfo(service).eventSources.includes(source);
}

function selectionOf(entries: readonly SensitiveEntry[]): ActionSelection {
  // Matched only: the IAM reference, read to check each name (tens of ms on every thread that folds a summary), is
  // left unread; the list's names are checked by its test.
  const parsed = parseActions(entries.map((entry) => entry.action), false);
  // The list ships with ctq; an entry that does not parse is a bug in the data file, caught by its test.
  if (!parsed.ok) throw new Error(`sensitive-read-only.json: ${parsed.message}`);
  return parsed.selection;
}
