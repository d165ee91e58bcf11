/** The process as a run sees it: injected, so tests can run ctq in-process. */
import type { Readable, Writable } from 'node:stream';

export interface RunIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => number;
  /** The bundled scan worker, when running from the build; null runs single-threaded. */
  readonly workerUrl: URL | null;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal?: AbortSignal;
}
