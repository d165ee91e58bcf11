/**
 * What the LookupEvents source is asked to run: lookups (one attribute, one region, one window) and
 * the counters it adds to. Declared here, at the source, so the planner in `query/` depends on the
 * source and not the other way round; the planner's `Plan` and `RunStats` satisfy these shapes.
 */
import type { LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import type { ClosedWindow } from '../../time/window';

/** `fromMs`..`toMs`: the lookup's StartTime and EndTime. */
export interface LookupRequest extends ClosedWindow {
  readonly region: string;
  /** `null` is a full scan of the region's event history. */
  readonly attribute: { readonly key: LookupAttributeKey; readonly value: string } | null;
}

export interface LookupBatch {
  readonly lookups: readonly LookupRequest[];
  readonly regions: readonly string[];
}

/** The counters a LookupEvents run adds to as it goes (HTTP attempts, pages, throttles). */
export interface ApiCounters {
  apiCalls: number;
  pages: number;
  throttled: number;
}
