/**
 * Lets an incremental run (`--state`, `--follow`) decide what to read of each input file and learn
 * where reading ended. Without a planner every file is read whole.
 */
import type { ReadEnd } from './chunks';

export type FileRead = { readonly start: number } | 'skip';

export interface ReadPlanner {
  /** Called before a file is opened (stdin is always read whole). */
  planRead(path: string): Promise<FileRead>;
  /** Called once the file's records have all been handled; `unreadable` also covers damage found while inflating. */
  readDone(path: string, end: ReadEnd): void;
}
