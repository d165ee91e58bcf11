/**
 * Turns one `s3://BUCKET[/PREFIX]` input into the listings to make: one per account and region
 * folder of the CloudTrail layout found under it (each bounded by the window's date folders), or,
 * where there is no layout, one plain listing of everything under the prefix.
 *
 * Only folders are listed here (with a delimiter: one call per level, whatever the number of files),
 * and only the levels the flags leave open: `--regions` names region folders without listing them.
 */
import { isDigestPath } from '../local/discover';
import { isEventFileName } from '../event-file-names';
import { ACCOUNT_ID, LOGS_FOLDER, ORG_ID, REGION_NAME, TRAIL_FOLDER, dayFolderOf, dayRange, isDatePath, isEmptyRange, type DayRange } from './layout';

/** One listing: every object under `prefix`, from `range.first` to `range.last` when it is a layout region folder. */
export type ListingScope =
  | {
      readonly kind: 'region';
      /** The region folder, `…/CloudTrail/REGION/`: date folders start here. Also the --state cursor's name. */
      readonly regionFolder: string;
      /** Where listing starts: the region folder, or a date folder under it named in the input. */
      readonly prefix: string;
      readonly range: DayRange;
    }
  /** No CloudTrail layout: every object under the prefix (digests and non-event names excepted), unpruned. */
  | { readonly kind: 'plain'; readonly prefix: string }
  /** The input names one object. */
  | { readonly kind: 'object'; readonly key: string };

export interface FolderLister {
  /** The sub-folders (common prefixes, each ending in `/`) directly under `prefix`. */
  folders(prefix: string): Promise<readonly string[]>;
}

export interface ScopeFilters {
  readonly accounts: ReadonlySet<string> | null;
  readonly regions: readonly string[] | null;
  readonly window: { readonly fromMs: number | null; readonly toMs: number | null };
  /** With --state: where the last run's reading of this region folder lets this one start, if it was read. */
  continueFromMs(regionFolder: string): number | null;
}

export interface ScopePlan {
  readonly scopes: readonly ListingScope[];
  /** What the user should know: no layout found, a folder that holds no events. */
  readonly notes: readonly string[];
}

/** In a bucket without `AWSLogs/` at the prefix, this many sub-folders are looked into for a trail's own key prefix. */
const TRAIL_PREFIX_SEARCH = 20;

/** In a walked folder, only names that can hold events are read (as for local directories). */
export function isEventObjectKey(key: string): boolean {
  return !isDigestPath(key) && isEventFileName(key) && !key.endsWith('/');
}

export async function planScopes(prefix: string, lister: FolderLister, filters: ScopeFilters, url: (key: string) => string): Promise<ScopePlan> {
  const notes: string[] = [];
  const segments = prefix.split('/').filter((s) => s !== '');
  const folder = segments.length === 0 ? '' : segments.join('/') + '/';
  if (prefix !== '' && !prefix.endsWith('/') && isEventFileName(prefix)) return { scopes: [{ kind: 'object', key: prefix }], notes };
  if (isDigestPath(folder)) return { scopes: [], notes: [`${url(folder)} holds CloudTrail digest files, which hold no events: nothing to read`] };

  const at = segments.lastIndexOf(LOGS_FOLDER);
  if (at >= 0) {
    const logs = segments.slice(0, at + 1).join('/') + '/';
    const scopes = await layoutScopes(logs, segments.slice(at + 1), lister, filters);
    if (scopes === null) return plain(folder, notes, url);
    return { scopes, notes };
  }
  const children = await lister.folders(folder);
  let logsFolders = children.filter((c) => c === `${folder}${LOGS_FOLDER}/`);
  if (logsFolders.length === 0 && children.length <= TRAIL_PREFIX_SEARCH) {
    // A trail may write under a key prefix of its own: BUCKET/PREFIX/AWSLogs/… (cloudtrail-find-log-files.md).
    for (const child of children) {
      if ((await lister.folders(child)).includes(`${child}${LOGS_FOLDER}/`)) logsFolders = [...logsFolders, `${child}${LOGS_FOLDER}/`];
    }
  }
  if (logsFolders.length === 0) return plain(folder, notes, url);
  const scopes: ListingScope[] = [];
  for (const logs of logsFolders) scopes.push(...((await layoutScopes(logs, [], lister, filters)) ?? []));
  return { scopes, notes };
}

function plain(folder: string, notes: string[], url: (key: string) => string): ScopePlan {
  notes.push(`no CloudTrail layout (${LOGS_FOLDER}/ACCOUNT/${TRAIL_FOLDER}/REGION/YYYY/MM/DD/) under ${url(folder)}: every event file under it is read, without pruning by time, account or region`);
  return { scopes: [{ kind: 'plain', prefix: folder }], notes };
}

/** Scopes below an `AWSLogs/` folder; `rest` are the input's own segments after it. Null: not the layout after all. */
async function layoutScopes(logs: string, rest: readonly string[], lister: FolderLister, filters: ScopeFilters): Promise<ListingScope[] | null> {
  let accountFolders: string[];
  let below: readonly string[];
  const [first, second] = rest;
  if (first === undefined) {
    accountFolders = await accountsUnder(logs, lister, true);
    below = [];
  } else if (ORG_ID.test(first)) {
    if (second === undefined) {
      accountFolders = await accountsUnder(`${logs}${first}/`, lister, false);
      below = [];
    } else {
      if (!ACCOUNT_ID.test(second)) return null;
      accountFolders = [`${logs}${first}/${second}/`];
      below = rest.slice(2);
    }
  } else if (ACCOUNT_ID.test(first)) {
    accountFolders = [`${logs}${first}/`];
    below = rest.slice(1);
  } else {
    return null;
  }
  if (filters.accounts !== null) accountFolders = accountFolders.filter((a) => filters.accounts!.has(lastSegment(a)));

  const [service, region, ...date] = below;
  if (service !== undefined && service !== TRAIL_FOLDER) return service.startsWith(`${TRAIL_FOLDER}-`) ? [] : null;
  if (region !== undefined && !REGION_NAME.test(region)) return null;
  if (!isDatePath(date)) return null;

  const scopes: ListingScope[] = [];
  for (const account of accountFolders) {
    const trail = `${account}${TRAIL_FOLDER}/`;
    // One listing of the account's region folders, rather than one per region asked for: an
    // organisation trail's accounts rarely use every region.
    let regions: readonly string[] = region !== undefined ? [region] : (await lister.folders(trail)).map(lastSegment).filter((r) => REGION_NAME.test(r));
    if (filters.regions !== null) regions = regions.filter((r) => filters.regions!.includes(r));
    for (const r of regions) {
      const regionFolder = `${trail}${r}/`;
      const range = dayRange(filters.window, filters.continueFromMs(regionFolder));
      if (isEmptyRange(range)) continue;
      const prefix = date.length === 0 ? regionFolder : `${regionFolder}${date.join('/')}/`;
      const days = daysOf(range);
      if (days === null) {
        scopes.push({ kind: 'region', regionFolder, prefix, range });
        continue;
      }
      // A short window lists each date folder it needs, exactly; a long or open one lists the region
      // folder once from its first day (see BucketLister.objects).
      for (const day of days) {
        const dayPrefix = `${regionFolder}${day}/`;
        if (dayPrefix.startsWith(prefix)) scopes.push({ kind: 'region', regionFolder, prefix: dayPrefix, range });
      }
    }
  }
  return scopes;
}

/** Windows up to this many days are listed one date folder at a time. */
const DAY_BY_DAY = 31;

/** Every `YYYY/MM/DD` of a bounded range of at most DAY_BY_DAY days; null otherwise. */
function daysOf(range: DayRange): string[] | null {
  if (range.first === null || range.last === null) return null;
  const days: string[] = [];
  for (let ms = Date.parse(range.first.replace(/\//g, '-') + 'T00:00:00Z'); ; ms += 86_400_000) {
    const day = dayFolderOf(ms);
    if (day > range.last) return days;
    if (days.length === DAY_BY_DAY) return null;
    days.push(day);
  }
}

/** Account folders under `AWSLogs/` (and under its organisation folders) or under one organisation folder. */
async function accountsUnder(folder: string, lister: FolderLister, withOrgs: boolean): Promise<string[]> {
  const accounts: string[] = [];
  for (const child of await lister.folders(folder)) {
    const name = lastSegment(child);
    if (ACCOUNT_ID.test(name)) accounts.push(child);
    else if (withOrgs && ORG_ID.test(name)) accounts.push(...(await accountsUnder(child, lister, false)));
  }
  return accounts;
}

function lastSegment(folder: string): string {
  const parts = folder.split('/').filter((s) => s !== '');
  return parts[parts.length - 1] ?? '';
}
