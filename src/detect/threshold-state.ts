/**
 * Threshold windows carried across `--state` runs, in a file beside the state file
 * (`STATE.thresholds.json`), saved atomically after the state itself. A run that dies between the two
 * saves loses at most the window counts of that run, never events (those are the state file's job).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { nodeWriteSteps } from '../state/state-file';
import type { ThresholdState } from './threshold-stage';

const FORMAT = 'ctq-thresholds';
const VERSION = 1;

export function thresholdStatePath(statePath: string): string {
  return `${statePath}.thresholds.json`;
}

export type ThresholdStateLoad = { readonly ok: true; readonly state: ThresholdState | null } | { readonly ok: false; readonly message: string };

export async function loadThresholdState(path: string): Promise<ThresholdStateLoad> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, state: null };
    return { ok: false, message: `cannot read ${path}: ${(error as Error).message}` };
  }
  try {
    const parsed = JSON.parse(text) as { format?: unknown; version?: unknown; windows?: unknown };
    if (parsed.format !== FORMAT || parsed.version !== VERSION || typeof parsed.windows !== 'object' || parsed.windows === null) {
      return { ok: false, message: `${path} is not a ctq threshold state file (version ${VERSION}); move it away to start the windows afresh` };
    }
    return { ok: true, state: parsed.windows as ThresholdState };
  } catch {
    return { ok: false, message: `${path} is damaged (not JSON); move it away to start the windows afresh` };
  }
}

export async function saveThresholdState(path: string, state: ThresholdState): Promise<{ ok: true } | { ok: false; message: string }> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await nodeWriteSteps.writeSynced(temporary, JSON.stringify({ format: FORMAT, version: VERSION, windows: state }));
    await nodeWriteSteps.rename(temporary, path);
    return { ok: true };
  } catch (error) {
    await nodeWriteSteps.unlink(temporary).catch(() => undefined);
    return { ok: false, message: `cannot save ${path} (${(error as Error).message})` };
  }
}
