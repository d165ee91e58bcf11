/** One planned lookup, paged to its end with the SDK's paginator. */
import type { CloudTrailClient, Event as LookupEvent, LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import type { LookupRequest } from './lookup-request';
import type { Sdk } from './client';

/** "The default number of results returned is 50, with a maximum of 50 possible." (API_LookupEvents) */
export const MAX_RESULTS = 50;

export function lookupInput(lookup: LookupRequest): LookupEventsCommandInput {
  const input: LookupEventsCommandInput = { StartTime: new Date(lookup.fromMs), EndTime: new Date(lookup.toMs), MaxResults: MAX_RESULTS };
  if (lookup.attribute !== null) {
    input.LookupAttributes = [{ AttributeKey: lookup.attribute.key, AttributeValue: lookup.attribute.value }];
  }
  return input;
}

/** The events of each page, as pages arrive. The signal aborts the call in flight. */
export async function* lookupPages(sdk: Sdk, client: CloudTrailClient, lookup: LookupRequest, signal?: AbortSignal): AsyncGenerator<LookupEvent[]> {
  const pages = sdk.paginateLookupEvents({ client, pageSize: MAX_RESULTS }, lookupInput(lookup), signal === undefined ? {} : { abortSignal: signal });
  for await (const page of pages) {
    yield page.Events ?? [];
    if (signal?.aborted) return;
  }
}
