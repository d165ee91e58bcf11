/**
 * One run at a time per state file. A cron job whose run outlasts its interval starts a second run on
 * the same state: both would read the same windows and emit the same events, and the slower one would
 * then save an older state over the newer. The lock is a file beside the state, created exclusively,
 * holding the owner's PID; a lock whose process no longer exists (a crashed or killed run) is taken over.
 *
 * Limits: the PID check only sees processes on this host, so a state directory shared over a network
 * file system between hosts is not protected against a stale lock; a reused PID keeps a stale lock alive
 * until that process ends (the message names the lock file, so the user can remove it).
 */
import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';

export type LockResult =
  | { readonly ok: true; /** Removes the lock; call it once the state is saved (or the run gives up). */ readonly release: () => Promise<void> }
  | { readonly ok: false; readonly message: string };

export function lockPathFor(statePath: string): string {
  return `${statePath}.lock`;
}

/** `isAlive` is injectable for tests; by default it asks the OS whether the PID exists. */
export async function lockState(statePath: string, isAlive: (pid: number) => boolean = processExists): Promise<LockResult> {
  const lockPath = lockPathFor(statePath);
  // The PID is written to a private file first and hard-linked into place: link() fails if the lock
  // exists, and the lock never exists without its PID (an empty lock would look stale to a run
  // starting at the same moment, which cron makes likely).
  const mine = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(mine, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    return { ok: false, message: `cannot create lock file ${lockPath} (${errorCode(error) ?? String(error)})` };
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(mine, lockPath);
        return { ok: true, release: () => releaseLock(lockPath) };
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') {
          return { ok: false, message: `cannot create lock file ${lockPath} (${errorCode(error) ?? String(error)})` };
        }
      }
      const owner = await readOwner(lockPath);
      if (owner === 'gone') continue; // released meanwhile: try again
      if (owner !== 'unreadable' && isAlive(owner)) {
        return {
          ok: false,
          message: `state file ${statePath} is in use by another ctq run (PID ${owner}, lock ${lockPath}); wait for it, or remove the lock if that process is not ctq`,
        };
      }
      // The owner is gone (a crashed or killed run): take the lock over. Two runs doing this at the
      // very same moment could both succeed; that needs a crash followed by simultaneous starts.
      if ((await readOwner(lockPath)) === owner) await unlink(lockPath).catch(() => undefined);
    }
    return { ok: false, message: `state file ${statePath} is being locked by another ctq run at the same moment (lock ${lockPath}); try again` };
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}

/** Removes the lock only while it is still this process's (never one another run took over). */
async function releaseLock(lockPath: string): Promise<void> {
  if ((await readOwner(lockPath)) === process.pid) await unlink(lockPath).catch(() => undefined);
}

async function readOwner(lockPath: string): Promise<number | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    return errorCode(error) === 'ENOENT' ? 'gone' : 'unreadable';
  }
  const pid = Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : 'unreadable';
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only checks that the process exists and may be signalled
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM'; // exists, owned by someone else
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
