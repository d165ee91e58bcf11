/**
 * The key layout CloudTrail writes to its bucket, and what a time window needs of it:
 *
 *   [trail prefix/]AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_…json.gz
 *
 * (CloudTrail user guide, cloudtrail-find-log-files.md; organisation trails add the `o-…` folder,
 * creating-trail-organization.md). Digest files go to a sibling `CloudTrail-Digest/` folder and
 * Insights events to `CloudTrail-Insight/`; neither is listed.
 *
 * The date folders are the day the file was *published*, not the day of the events inside it
 * ("The year/month/day the log file was published", cloudtrail-find-log-files.md). A file is
 * published after the events it holds, so:
 * - the window's start prunes directly: a file published before the start holds no event after it;
 * - the window's end needs a margin: an event just before the end may be in a file published later.
 *   CloudTrail "typically delivers logs within an average of about 15 minutes of an API call. This
 *   time is not guaranteed" (get-and-view-cloudtrail-log-files.md); ctq allows DELIVERY_MARGIN_MS.
 * All dates are UTC.
 */

/** How long after an event ctq still looks for the file holding it: 8× the documented 15-minute average. */
export const DELIVERY_MARGIN_MS = 2 * 60 * 60_000;

export const LOGS_FOLDER = 'AWSLogs';
export const TRAIL_FOLDER = 'CloudTrail';
export const ORG_ID = /^o-[a-z0-9]{10,32}$/;
export const ACCOUNT_ID = /^\d{12}$/;
/** A region folder's name: lenient (`us-gov-west-1`, `eu-isoe-west-1`), since it only tells region folders from other folders. */
export const REGION_NAME = /^[a-z]{2,}(-[a-z]+)+-\d+[a-z]?$/;
const DAY_FOLDERS = /^\d{4}\/\d{2}\/\d{2}$/;

/** `YYYY/MM/DD` (UTC) of an instant: the form of the date folders, which sorts as the dates do. */
export function dayFolderOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

export interface DayRange {
  /** First date folder to list (inclusive), or null for the earliest there is. */
  readonly first: string | null;
  /** Last date folder to list (inclusive), or null for the latest there is. */
  readonly last: string | null;
}

/**
 * The date folders a window needs: from its start (or where an incremental run continues, if later)
 * to its end plus the delivery margin.
 */
export function dayRange(window: { readonly fromMs: number | null; readonly toMs: number | null }, continueFromMs: number | null): DayRange {
  const starts = [window.fromMs, continueFromMs].filter((ms): ms is number => ms !== null);
  return {
    first: starts.length > 0 ? dayFolderOf(Math.max(...starts)) : null,
    last: window.toMs === null ? null : dayFolderOf(window.toMs + DELIVERY_MARGIN_MS),
  };
}

export function isEmptyRange(range: DayRange): boolean {
  return range.first !== null && range.last !== null && range.first > range.last;
}

/** The `YYYY/MM/DD` of a key below a region folder, or null when the key is not in a date folder. */
export function dayOfKey(key: string, regionFolder: string): string | null {
  if (!key.startsWith(regionFolder)) return null;
  const day = key.slice(regionFolder.length, regionFolder.length + 10);
  return DAY_FOLDERS.test(day) && key.charAt(regionFolder.length + 10) === '/' ? day : null;
}

/** Whether fixed date segments of a prefix (`2026`, `2026/11`, `2026/11/20`) are date folders. */
export function isDatePath(segments: readonly string[]): boolean {
  const shapes = [/^\d{4}$/, /^\d{2}$/, /^\d{2}$/];
  return segments.length <= 3 && segments.every((s, i) => shapes[i]!.test(s));
}
