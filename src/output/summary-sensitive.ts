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

let selection: ActionSelection | null = null;

function sensitiveSelection(): ActionSelection {
  if (selection === null) {
    const parsed = parseActions(SENSITIVE_READ_ONLY.map((entry) => entry.action));
    // The list ships with ctq; an entry that does not parse is a bug in the data file, caught by its test.
    if (!parsed.ok) throw new Error(`sensitive-read-only.json: ${parsed.message}`);
    selection = parsed.selection;
  }
  return selection;
}

/** Whether an event is one of the sensitive read-only calls. */
export function isSensitiveReadOnly(eventSource: unknown, eventName: unknown): boolean {
  return sensitiveSelection().matches(eventSource, eventName);
}
