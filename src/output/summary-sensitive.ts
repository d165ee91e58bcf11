/**
 * The sensitive read-only APIs (data/sensitive-read-only.json, with the reason for each), matched like IAM_ACTION
 * arguments so that `ssm:GetParameter*` and Lambda's versioned event names work the same way here as on the command line.
 */
import list from './data/sensitive-read-only.json';
import { parseActions, type ActionSelection } from '../selection';

export interface SensitiveEntry {
  readonly action: string;
  readonly why: string;
}

export const SENSITIVE_READ_ONLY: readonly SensitiveEntry[] = list.entries;

/** Every entry, parsed; also what tells which entries can select a source's events. */
let whole: ActionSelection | null = null;
/** Per eventSource (lower case), the entries that can select its events, parsed when the source is first met. */
const bySource = new Map<string, ActionSelection | null>();

/** Whether an event is one of the sensitive read-only calls. */
export function isSensitiveReadOnly(eventSource: unknown, eventName: unknown): boolean {
  whole ??= selectionOf(SENSITIVE_READ_ONLY);
  // A source or name that is not a string: only a catch-all entry could select it.
  if (typeof eventSource !== 'string' || typeof eventName !== 'string') return whole.matches(eventSource, eventName);
  const source = eventSource.toLowerCase();
  let selection = bySource.get(source);
  if (selection === undefined) {
    // The selection's own account of each action's sources (`eventSources`, all of them unless the service is a glob).
    const actions = whole.actions;
    const entries = SENSITIVE_READ_ONLY.filter((_, i) => !actions[i]!.sourcesComplete || actions[i]!.eventSources.includes(source));
    selection = entries.length === 0 ? null : selectionOf(entries);
    bySource.set(source, selection);
  }
  return selection !== null && selection.matches(eventSource, eventName);
}

function selectionOf(entries: readonly SensitiveEntry[]): ActionSelection {
  // Matched only: the IAM reference, read to check each name (tens of ms on every thread that folds a summary), is
  // left unread; the list's names are checked by its test.
  const parsed = parseActions(entries.map((entry) => entry.action), false);
  // The list ships with ctq; an entry that does not parse is a bug in the data file, caught by its test.
  if (!parsed.ok) throw new Error(`sensitive-read-only.json: ${parsed.message}`);
  return parsed.selection;
}
