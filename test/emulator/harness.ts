/**
 * Shared test plumbing: write records as NDJSON into a temp dir, start the emulator on them (through
 * the same local reader ctq's `--input` uses), and talk to it with the real SDK client.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { CloudTrailClient, paginateLookupEvents, type Event, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import type { JsonObject } from '../../src/language/json';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/emulator';

export const ACCESS_KEY = 'AKIAEMULATOR';

export interface Harness {
  readonly emulator: RunningEmulator;
  readonly dir: string;
  readonly logs: string[];
  stop(): Promise<void>;
}

export async function writeNdjson(records: readonly JsonObject[], name = 'events.ndjson'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ctq-emulator-'));
  await writeFile(join(dir, name), records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  return dir;
}

/** Starts the emulator on `records` written to disk; unlimited rate unless the test says otherwise. */
export async function startOn(records: readonly JsonObject[], options: Partial<Omit<EmulatorOptions, 'data'>> = {}): Promise<Harness> {
  const dir = await writeNdjson(records);
  const logs: string[] = [];
  const emulator = await startEmulator({ rate: 0, log: (line) => logs.push(line), ...options, data: { kind: 'paths', paths: [dir] } });
  return {
    emulator,
    dir,
    logs,
    stop: async () => {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** For tests that each need their own emulator: `start` one inside the test; it is stopped after it. */
export function harnessPerTest(): { start: typeof startOn } {
  let current: Harness | undefined;
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  return { start: async (records, options) => (current = await startOn(records, options)) };
}

export function clientFor(url: string, region: string, options: { accessKeyId?: string; maxAttempts?: number } = {}): CloudTrailClient {
  return new CloudTrailClient({
    endpoint: url,
    region,
    credentials: { accessKeyId: options.accessKeyId ?? ACCESS_KEY, secretAccessKey: 'x' },
    ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
  });
}

/** Every event of a lookup, paging with the SDK paginator. */
export async function lookupAll(client: CloudTrailClient, input: LookupEventsCommandInput = {}, pageSize = 50): Promise<Event[]> {
  const events: Event[] = [];
  for await (const page of paginateLookupEvents({ client, pageSize }, input)) events.push(...(page.Events ?? []));
  return events;
}

export function idsOf(events: readonly Event[]): string[] {
  return events.map((event) => event.EventId ?? '');
}

/** The eventIDs of `records` that pass `keep`, as a sorted list (order is checked separately). */
export function expectedIds(records: readonly JsonObject[], keep: (record: JsonObject) => boolean): string[] {
  return records.filter(keep).map((record) => String(record['eventID'])).sort();
}

export function isNewestFirst(events: readonly Event[]): boolean {
  return events.every((event, i) => i === 0 || events[i - 1]!.EventTime!.getTime() >= event.EventTime!.getTime());
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
