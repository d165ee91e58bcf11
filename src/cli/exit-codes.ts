/** Exit codes a cron loop can trust. */
export const ExitCode = {
  /** Finished, with or without matches (bad records skipped are reported on stderr). */
  Ok: 0,
  /** Ran but failed: unreadable input under --strict, AWS errors, a region that kept failing. */
  Failure: 1,
  /** Usage or expression error: nothing was read, nothing written to stdout. */
  Usage: 2,
  /** Stopped by SIGINT/SIGTERM; what was printed is whole lines. 128 + SIGINT, as shells expect. */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
