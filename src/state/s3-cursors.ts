/**
 * Where each S3 listing (a trail's region folder, or an `s3://` input without the layout) was left.
 *
 * S3 objects are never modified in place: CloudTrail writes each log file once, as a new object
 * (how-cloudtrail-works.md). So the question for a cron run is only "which objects are new". Keys do
 * not answer it alone: a file name ends in a random string (cloudtrail-find-log-files.md), so a file
 * delivered late sorts anywhere in its day folder. LastModified does, with care: an object being
 * uploaded while the last run listed may appear later with an earlier LastModified than others seen.
 *
 * Each listing keeps a watermark (the latest LastModified read) and the keys read whose LastModified
 * is within the overlap of it. The next run reads an object when its LastModified is at or after
 * watermark − overlap and its key is not among those: objects arriving late, into an old day folder
 * too, are read once if they appear within the overlap; none is read twice.
 */

export interface ObjectStamp {
  readonly key: string;
  readonly lastModifiedMs: number;
}

export interface S3ListingCursor {
  /** The latest LastModified (epoch ms) among the objects read. */
  readonly watermarkMs: number;
  /** Keys read with LastModified at or after watermark − overlap, each with its LastModified. */
  readonly recent: readonly ObjectStamp[];
}

/**
 * The date folder is the day a file was published; its upload may complete (LastModified) later, and
 * after midnight that puts a new object into the previous day's folder. So the next listing of a
 * folder starts this much before watermark − overlap: the previous day's folder is listed again,
 * which costs about one ListObjectsV2 call per 1,000 files of that day.
 */
export const PUBLISH_SKEW_MS = 24 * 60 * 60_000;

export class S3Cursors {
  private readonly cursors: Map<string, S3ListingCursor>;
  private readonly recentKeys = new Map<string, Set<string>>();
  private readonly pending = new Map<string, ObjectStamp[]>();
  private readonly failures = new Map<string, ObjectStamp[] | 'listing'>();

  constructor(
    cursors: Readonly<Record<string, S3ListingCursor>>,
    private readonly overlapMs: number,
  ) {
    this.cursors = new Map(Object.entries(cursors));
  }

  continueFromMs(folder: string): number | null {
    const cursor = this.cursors.get(folder);
    return cursor === undefined ? null : cursor.watermarkMs - this.overlapMs - PUBLISH_SKEW_MS;
  }

  shouldRead(folder: string, object: ObjectStamp): boolean {
    const cursor = this.cursors.get(folder);
    if (cursor === undefined) return true;
    if (object.lastModifiedMs < cursor.watermarkMs - this.overlapMs) return false;
    let keys = this.recentKeys.get(folder);
    if (keys === undefined) this.recentKeys.set(folder, (keys = new Set(cursor.recent.map((r) => r.key))));
    return !keys.has(object.key);
  }

  reading(folder: string, object: ObjectStamp): void {
    const list = this.pending.get(folder) ?? [];
    list.push({ key: object.key, lastModifiedMs: object.lastModifiedMs });
    this.pending.set(folder, list);
  }

  failed(folder: string, object: ObjectStamp | null): void {
    const previous = this.failures.get(folder);
    if (object === null || previous === 'listing') this.failures.set(folder, 'listing');
    else this.failures.set(folder, [...(previous ?? []), object]);
  }

  /** After a read that ran to its end: what was read becomes what the next run skips. Not called for an interrupted read. */
  settle(): void {
    for (const [folder, read] of this.pending) {
      const failed = this.failures.get(folder);
      const next = cursorAfterRead(this.cursors.get(folder), read, failed ?? [], this.overlapMs);
      if (next !== null) this.cursors.set(folder, next);
      this.recentKeys.delete(folder);
    }
    this.pending.clear();
    this.failures.clear();
  }

  /** Forgets what was handed to the scan but not settled (a `--follow` round that was interrupted). */
  discardPending(): void {
    this.pending.clear();
    this.failures.clear();
  }

  toJSON(): Record<string, S3ListingCursor> {
    return Object.fromEntries(this.cursors);
  }
}

/**
 * The cursor after a read. The watermark moves to the latest LastModified read, but never so far that
 * an object that failed (or a listing that broke off) falls below watermark − overlap: it must be
 * read next time. With no earlier cursor and a broken listing, the watermark is 0: the next run lists
 * everything again and skips, by key, what this one read.
 */
export function cursorAfterRead(
  previous: S3ListingCursor | undefined,
  read: readonly ObjectStamp[],
  failed: readonly ObjectStamp[] | 'listing',
  overlapMs: number,
): S3ListingCursor | null {
  const failedKeys = new Set(failed === 'listing' ? [] : failed.map((f) => f.key));
  const done = read.filter((r) => !failedKeys.has(r.key));
  if (done.length === 0 && previous === undefined) return null;
  let watermark = Math.max(previous?.watermarkMs ?? -Infinity, ...done.map((r) => r.lastModifiedMs));
  if (failed === 'listing') watermark = previous?.watermarkMs ?? 0;
  else if (failed.length > 0) watermark = Math.max(previous?.watermarkMs ?? -Infinity, Math.min(watermark, ...failed.map((f) => f.lastModifiedMs + overlapMs)));
  if (!Number.isFinite(watermark)) return null;
  const floor = watermark - overlapMs;
  const byKey = new Map<string, ObjectStamp>();
  for (const stamp of [...(previous?.recent ?? []), ...done]) if (stamp.lastModifiedMs >= floor) byKey.set(stamp.key, stamp);
  return { watermarkMs: watermark, recent: [...byKey.values()] };
}

/** As stored: `{folder: [watermarkMs, [[keyAfterFolder, lastModifiedMs], …]]}`, keys relative to the folder to keep the file small. */
export type SerialisedS3Cursors = Record<string, [number, [string, number][]]>;

export function serialiseS3Cursors(cursors: Readonly<Record<string, S3ListingCursor>>): SerialisedS3Cursors {
  const out: SerialisedS3Cursors = {};
  for (const [folder, cursor] of Object.entries(cursors)) {
    const base = bucketRelativeFolder(folder);
    out[folder] = [cursor.watermarkMs, cursor.recent.map((r) => [r.key.startsWith(base) ? r.key.slice(base.length) : `/${r.key}`, r.lastModifiedMs])];
  }
  return out;
}

/** The cursors of a state file's `s3` member; a string says what is wrong. */
export function parseS3Cursors(value: unknown): Record<string, S3ListingCursor> | string {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '"s3" is not an object';
  const cursors: Record<string, S3ListingCursor> = {};
  for (const [folder, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'number' || !Number.isFinite(entry[0]) || !Array.isArray(entry[1])) {
      return `the S3 cursor of ${folder} is not [watermarkMs, [[key, lastModifiedMs], …]]`;
    }
    const base = bucketRelativeFolder(folder);
    const recent: ObjectStamp[] = [];
    for (const item of entry[1] as unknown[]) {
      if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string' || typeof item[1] !== 'number') {
        return `the S3 cursor of ${folder} has a key that is not [key, lastModifiedMs]`;
      }
      const key = item[0].startsWith('/') ? item[0].slice(1) : base + item[0];
      recent.push({ key, lastModifiedMs: item[1] });
    }
    cursors[folder] = { watermarkMs: entry[0], recent };
  }
  return cursors;
}

/** `s3://bucket/a/b/` → `a/b/`: the key prefix of a listing, for storing its keys relative to it. */
function bucketRelativeFolder(folder: string): string {
  const match = /^s3:\/\/[^/]+\/(.*)$/.exec(folder);
  const prefix = match?.[1] ?? '';
  return prefix === '' || prefix.endsWith('/') ? prefix : '';
}
