/**
 * Runs a LookupEvents plan: every lookup of every region in parallel, each region paced at
 * CloudTrail's LookupEvents limit, events streamed out as their pages arrive.
 *
 * Failures are values: a region that keeps failing (after the SDK's retries) is reported in
 * `report` while the other regions' events still come out; a region that refuses the credentials
 * is skipped with a note unless every region does (then the credentials are the problem, `fatal`).
 */
import { setMaxListeners } from 'node:events';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import pLimit from 'p-limit';
import type { JsonObject } from '../../language/json';
import { isJsonObject } from '../../language/json';
import type { ApiCounters, LookupBatch, LookupRequest } from './lookup-request';
import type { SourceItem } from '../source-item';
import { createCloudTrailClient, loadSdk, type ApiConnection, type Sdk } from './client';
import { classifyApiError, isInvalidNextToken, isThrottle, refusedEverywhereMessage, type ApiProblem } from './errors';
import { ItemQueue } from './item-queue';
import { lookupPages } from './lookup';
import { SILENT_PROGRESS, type ProgressReporter } from './progress';
import { LOOKUP_EVENTS_RATE, RegionRateLimiters } from './rate-limiter';

export const ORIGIN_PREFIX = 'lookup-events ';

/** The region an item came from, for the progress reporter's `matched`. */
export function regionOfOrigin(source: string): string | null {
  return source.startsWith(ORIGIN_PREFIX) ? source.slice(ORIGIN_PREFIX.length) : null;
}

export interface FetchOptions {
  readonly plan: LookupBatch;
  readonly connection: ApiConnection;
  /** `apiCalls` (HTTP attempts), `pages` and `throttled` are added here as they happen. */
  readonly stats?: ApiCounters;
  readonly signal?: AbortSignal;
  /** LookupEvents requests per second per region; default CloudTrail's limit, 2. */
  readonly rate?: number;
  /** Lookups of one region running at once; pacing, not this, bounds the request rate. */
  readonly concurrencyPerRegion?: number;
  /**
   * Told of attempts, throttles, pages and each region's end. The caller reports `matched` and
   * closes it once it has consumed the items (they can lag the fetching by a queue's worth).
   */
  readonly progress?: ProgressReporter;
  /** Tests inject the module; otherwise it is imported on first use. */
  readonly sdk?: Sdk;
}

export interface RegionNote {
  readonly region: string;
  readonly message: string;
}

export interface FetchReport {
  /** Regions whose lookups failed after retries; their events may be incomplete. */
  readonly failed: readonly RegionNote[];
  /** Regions that refused the credentials while others accepted them: not enabled for the account. */
  readonly skipped: readonly RegionNote[];
  /** A credentials problem: print it and exit 1. */
  readonly fatal: string | null;
  /** True when the run was cancelled (the signal, or the consumer stopped early). */
  readonly cancelled: boolean;
}

export interface LookupEventsSource {
  /**
   * Each event once (deduplicated by eventID across lookups and regions), in arrival order.
   * Consume it before awaiting `report`: fetching pauses while ~1000 items wait unread.
   */
  readonly items: AsyncIterable<SourceItem>;
  /** Settles when every lookup has ended. Rejects only if the AWS SDK cannot be loaded at all. */
  readonly report: Promise<FetchReport>;
}

export function fetchLookups(options: FetchOptions): LookupEventsSource {
  const stop = new AbortController();
  // Every request waiting for the rate limiter listens for the abort: many by design, not a leak.
  setMaxListeners(0, stop.signal);
  const onOuterAbort = (): void => stop.abort(options.signal?.reason);
  if (options.signal?.aborted) stop.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const queue = new ItemQueue<SourceItem>(1000, () => stop.abort(new Error('output closed')));
  stop.signal.addEventListener('abort', () => queue.discard(), { once: true });
  const report = run(options, queue, stop).finally(() => {
    options.signal?.removeEventListener('abort', onOuterAbort);
    queue.close();
  });
  return { items: queue, report };
}

type RegionOutcome = { kind: 'ok' } | { kind: 'refused'; message: string } | { kind: 'failed'; message: string } | { kind: 'fatal'; message: string };

async function run(options: FetchOptions, queue: ItemQueue<SourceItem>, stop: AbortController): Promise<FetchReport> {
  const { plan, connection, stats } = options;
  const signal = stop.signal;
  // Set when a credentials problem stops the run: that is not a cancellation by the user.
  let fatalStop = false;
  const progress = options.progress ?? SILENT_PROGRESS;
  const sdk = options.sdk ?? (await loadSdk());
  const limiters = new RegionRateLimiters(options.rate ?? LOOKUP_EVENTS_RATE);
  const observer = {
    attempt(region: string) {
      if (stats) stats.apiCalls += 1;
      progress.attempt(region);
    },
    throttled(region: string) {
      if (stats) stats.throttled += 1;
      progress.throttled(region);
    },
  };
  // Event IDs seen so far: memory grows with the events fetched (36 bytes an ID). Bounded memory
  // would need a plan whose lookups cannot overlap, which push-down by EventName cannot promise.
  const seen = new Set<string>();
  const outcomes = new Map<string, RegionOutcome>();

  const runRegion = async (region: string): Promise<void> => {
    const lookups = plan.lookups.filter((l) => l.region === region);
    // A region the plan asks nothing of (a global service's events are recorded elsewhere): no call, no outcome.
    if (lookups.length === 0) {
      progress.regionEnded(region, 'done');
      return;
    }
    const client = createCloudTrailClient(sdk, { region, connection, limiter: limiters.for(region), observer, signal });
    const limit = pLimit(options.concurrencyPerRegion ?? 4);
    const problems: RegionOutcome[] = [];
    try {
      await Promise.all(
        lookups.map((lookup) =>
          limit(async () => {
            if (signal.aborted) return;
            try {
              const onPage = (events: number): void => {
                if (stats) stats.pages += 1;
                progress.page(region, events);
              };
              await rereadOnInvalidToken(() => runLookup(sdk, client, lookup, queue, seen, signal, onPage), signal);
            } catch (error) {
              const outcome = isThrottle(error) ? { kind: 'failed' as const, message: throttledMessage(error) } : outcomeOf(classifyApiError(error, connection.profile));
              // Once stopping, calls fail with AbortError (or whatever the abort interrupted).
              if (outcome === null || (signal.aborted && outcome.kind !== 'fatal')) return;
              problems.push(outcome);
              if (outcome.kind === 'fatal') {
                // Expired credentials fail every call of every region alike: stop them all now.
                fatalStop = true;
                stop.abort(new Error(outcome.message));
              }
            }
          }),
        ),
      );
    } finally {
      client.destroy();
    }
    const outcome = problems.find((p) => p.kind === 'fatal') ?? problems.find((p) => p.kind === 'failed') ?? problems[0] ?? { kind: 'ok' };
    outcomes.set(region, outcome);
    progress.regionEnded(region, outcome.kind === 'ok' ? 'done' : outcome.kind === 'refused' ? 'skipped' : 'failed');
  };

  await Promise.all(plan.regions.map(runRegion));
  return summarize(plan, outcomes, connection.profile, signal.aborted && !fatalStop);
}

/** A call still throttled when its retry budget ran out (retry-budget.ts): say what was tried and what it means. */
function throttledMessage(error: unknown): string {
  const meta = (error as { $metadata?: { attempts?: unknown; totalRetryDelay?: unknown } }).$metadata;
  const attempts = typeof meta?.attempts === 'number' ? meta.attempts : null;
  const waited = typeof meta?.totalRetryDelay === 'number' ? (meta.totalRetryDelay / 1000).toFixed(1) : null;
  return (
    `LookupEvents was still throttled after ${attempts ?? 'several'} attempts${waited === null ? '' : ` and ${waited} s of backoff`}, ` +
    `the end of ctq's retry budget for one call (another client may be using the account's quota of 2 LookupEvents calls per second in this region)`
  );
}

function outcomeOf(problem: ApiProblem): RegionOutcome | null {
  switch (problem.kind) {
    case 'credentials':
      return { kind: 'fatal', message: problem.message };
    case 'region-refused':
      return { kind: 'refused', message: problem.message };
    case 'failed':
      return { kind: 'failed', message: problem.message };
    case 'aborted':
      return null;
  }
}

/**
 * A lookup whose NextToken is refused mid-scan (the endpoint restarted) is read again from its window start: pages
 * cannot be resumed without a token, and re-reading is safe because events are deduplicated by eventID. Bounded, so
 * an endpoint that refuses every token fails the region instead of looping.
 */
export const MAX_LOOKUP_RESTARTS = 10;

async function rereadOnInvalidToken(read: () => Promise<void>, signal: AbortSignal): Promise<void> {
  for (let restarts = 0; ; restarts++) {
    try {
      await read();
      return;
    } catch (error) {
      if (!isInvalidNextToken(error) || signal.aborted) throw error;
      if (restarts >= MAX_LOOKUP_RESTARTS) {
        const gaveUp = new Error(`the endpoint refused its own NextToken ${restarts + 1} times; gave up re-reading the lookup from its start`);
        gaveUp.name = 'InvalidNextTokenException';
        throw gaveUp;
      }
    }
  }
}

async function runLookup(
  sdk: Sdk,
  client: CloudTrailClient,
  lookup: LookupRequest,
  queue: ItemQueue<SourceItem>,
  seen: Set<string>,
  signal: AbortSignal,
  onPage: (events: number) => void,
): Promise<void> {
  const source = ORIGIN_PREFIX + lookup.region;
  for await (const events of lookupPages(sdk, client, lookup, signal)) {
    onPage(events.length);
    for (const raw of events) {
      if (signal.aborted) return;
      const id = raw.EventId;
      if (id !== undefined) {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      await queue.push(toItem(raw.CloudTrailEvent, source));
    }
  }
}

function toItem(text: string | undefined, source: string): SourceItem {
  const origin = { source, line: 0 };
  if (text === undefined) return { kind: 'bad', origin, message: 'LookupEvents returned an event without CloudTrailEvent' };
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (error) {
    return { kind: 'bad', origin, message: `CloudTrailEvent is not JSON: ${(error as Error).message}` };
  }
  if (!isJsonObject(event)) return { kind: 'bad', origin, message: 'CloudTrailEvent is not a JSON object' };
  // The CloudTrailEvent string is the record exactly as CloudTrail recorded it: written out verbatim.
  return { kind: 'event', event: event as JsonObject, text, origin };
}

function summarize(plan: LookupBatch, outcomes: Map<string, RegionOutcome>, profile: string | undefined, cancelled: boolean): FetchReport {
  const failed: RegionNote[] = [];
  const skipped: RegionNote[] = [];
  let fatal: string | null = null;
  for (const [region, outcome] of outcomes) {
    if (outcome.kind === 'fatal') fatal ??= outcome.message;
    else if (outcome.kind === 'failed') failed.push({ region, message: outcome.message });
    else if (outcome.kind === 'refused') skipped.push({ region, message: `skipped: the region refused the credentials, so it is probably not enabled for this account (${outcome.message})` });
  }
  // Only regions that were called can vouch for the credentials: `iam:*` with `--regions all` calls us-east-1 alone,
  // and its refusal is the credentials', not a region the account has not enabled.
  const called = [...outcomes.keys()];
  const refusedEverywhere = called.length > 0 && called.every((r) => outcomes.get(r)?.kind === 'refused');
  if (fatal === null && refusedEverywhere && !cancelled) {
    fatal = refusedEverywhereMessage(profile);
    skipped.length = 0;
  }
  return { failed, skipped, fatal, cancelled };
}
