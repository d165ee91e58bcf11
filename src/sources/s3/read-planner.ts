/**
 * Lets an incremental run (`--state`) read only the objects it has not read before. Objects are
 * immutable, so "read before" is a fact about a key; the planner is told, per listing (a region
 * folder, or the input itself where there is no layout), which objects were handed to the scan and
 * which of them failed, and decides after the run what the next one may skip.
 */
export interface ObjectStamp {
  /** The key, relative to the bucket. */
  readonly key: string;
  readonly lastModifiedMs: number;
}

export interface S3ReadPlanner {
  /** The earliest instant whose date folder the next listing of `folder` (an s3:// URL) must include; null: not read before. */
  continueFromMs(folder: string): number | null;
  /** False for an object read by an earlier run. */
  shouldRead(folder: string, object: ObjectStamp): boolean;
  /** The object was handed to the scan. */
  reading(folder: string, object: ObjectStamp): void;
  /** The object (or, with null, the listing of the folder) failed: what was not read must be read next time. */
  failed(folder: string, object: ObjectStamp | null): void;
}
