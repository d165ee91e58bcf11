import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { lockPathFor, lockState } from '../../src/state';

let dir: string;
let statePath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctq-lock-'));
  statePath = join(dir, 'ctq.state');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const alive = () => true;
const dead = () => false;

describe('lockState', () => {
  test('the first run takes the lock, which holds its PID, and release removes it', async () => {
    const lock = await lockState(statePath);
    if (!lock.ok) throw new Error(lock.message);
    expect(await readFile(lockPathFor(statePath), 'utf8')).toBe(`${process.pid}\n`);
    expect(await readdir(dir)).toEqual(['ctq.state.lock']); // no private file left beside it
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  test('a second run while the first holds the lock is refused with the owner named', async () => {
    const first = await lockState(statePath);
    expect(first.ok).toBe(true);
    const second = await lockState(statePath, alive);
    expect(second).toEqual({ ok: false, message: expect.stringMatching(new RegExp(`in use by another ctq run \\(PID ${process.pid},`)) });
    expect(await readFile(lockPathFor(statePath), 'utf8')).toBe(`${process.pid}\n`);
  });

  test('a lock left by a process that no longer exists is taken over', async () => {
    await writeFile(lockPathFor(statePath), '999999\n');
    const lock = await lockState(statePath, dead);
    if (!lock.ok) throw new Error(lock.message);
    expect(await readFile(lockPathFor(statePath), 'utf8')).toBe(`${process.pid}\n`);
  });

  test('a damaged lock file is taken over', async () => {
    await writeFile(lockPathFor(statePath), 'garbage');
    expect((await lockState(statePath, alive)).ok).toBe(true);
  });

  test('the default liveness check sees this very process as alive', async () => {
    await writeFile(lockPathFor(statePath), `${process.pid}\n`);
    expect((await lockState(statePath)).ok).toBe(false);
  });

  test('release leaves alone a lock that another run has taken over', async () => {
    const lock = await lockState(statePath);
    if (!lock.ok) throw new Error(lock.message);
    await writeFile(lockPathFor(statePath), '4242\n');
    await lock.release();
    expect(await readFile(lockPathFor(statePath), 'utf8')).toBe('4242\n');
  });

  test('a lock in a directory that does not exist is an error naming the lock file', async () => {
    const result = await lockState(join(dir, 'missing', 'ctq.state'));
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/cannot create lock file .*missing.*ENOENT/) });
  });
});
