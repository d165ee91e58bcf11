/**
 * The HTTP side: CloudTrail's awsJson1_1 protocol for the one operation we serve. A request is
 * `POST /` with an `X-Amz-Target` naming the operation, a JSON body and a SigV4 `Authorization` header.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { accountFor, type AccountRules } from './accounts';
import { apiErrors, type ApiError } from './errors';
import type { Fault, FaultInjector } from './faults';
import { toApiEvent } from './lookup-event';
import type { NextTokenCodec } from './next-token';
import { parseLookupEventsRequest } from './request';
import { parseCredentialScope } from './sigv4-scope';
import type { EventStore, LookupQuery } from './store';
import type { RateLimiter } from './throttle';

/**
 * botocore (the AWS CLI) sends the model's full `targetPrefix`
 * (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`); SDK v3 sends only its `serviceTarget`
 * (`CloudTrail_20131101`, see `AwsJsonRpcProtocol`). The service accepts both, and so do we.
 */
export const LOOKUP_EVENTS_TARGETS: readonly string[] = [
  'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
  'CloudTrail_20131101.LookupEvents',
];
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Far above any LookupEvents request; a larger body is not one of ours. */
const MAX_BODY_BYTES = 1 << 20;

/** Counts of what the emulator answered, for tests and benchmarks. */
export interface EmulatorCounters {
  requests: number;
  served: number;
  throttled: number;
  injectedErrors: number;
  dropped: number;
  clientErrors: number;
  /** Injected restarts (`--restart-rate`): NextTokens issued before each became invalid. */
  restarts: number;
}

export function newCounters(): EmulatorCounters {
  return { requests: 0, served: 0, throttled: 0, injectedErrors: 0, dropped: 0, clientErrors: 0, restarts: 0 };
}

export interface ServerParts {
  readonly store: EventStore;
  readonly accounts: AccountRules;
  readonly limiter: RateLimiter;
  readonly faults: FaultInjector;
  readonly tokens: NextTokenCodec;
  readonly counters: EmulatorCounters;
  readonly log: (line: string) => void;
  /** Log one line per request (`--verbose`). */
  readonly verbose: boolean;
}

export function createRequestListener(parts: ServerParts): RequestListener {
  return (request, response) => {
    readBody(request)
      .then(
        (body) => handle(parts, request, response, body),
        () => request.socket.destroy(),
      )
      // A throw here is an emulator bug: say so with the stack, and answer as the service would.
      .catch((error: unknown) => {
        parts.log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!response.headersSent) sendError(response, apiErrors.internalFailure('ctq-emulator internal error.'));
      });
  };
}

async function handle(parts: ServerParts, request: IncomingMessage, response: ServerResponse, body: string | null): Promise<void> {
  parts.counters.requests += 1;
  const fault = parts.faults.next();
  if (parts.faults.restarts()) {
    parts.counters.restarts += 1;
    parts.tokens.rotate();
  }
  if (fault === 'drop') {
    parts.counters.dropped += 1;
    request.socket.destroy();
    return;
  }
  if (parts.faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, parts.faults.latencyMs));
  const outcome = answer(parts, request, body, fault);
  if (outcome.kind === 'error') {
    if (outcome.error.type === 'ThrottlingException') parts.counters.throttled += 1;
    else if (outcome.error.status >= 500) parts.counters.injectedErrors += 1;
    else parts.counters.clientErrors += 1;
    if (parts.verbose) parts.log(`${outcome.error.status} ${outcome.error.type}: ${outcome.error.message}`);
    sendError(response, outcome.error);
  } else {
    parts.counters.served += 1;
    if (parts.verbose) parts.log(`200 LookupEvents ${outcome.summary}`);
    send(response, 200, JSON.stringify(outcome.payload));
  }
}

type Outcome =
  | { readonly kind: 'error'; readonly error: ApiError }
  | { readonly kind: 'ok'; readonly payload: object; readonly summary: string };

function answer(parts: ServerParts, request: IncomingMessage, body: string | null, fault: Fault): Outcome {
  if (fault === 'internal-failure') return failed(apiErrors.internalFailure('Injected fault: internal failure.'));
  if (fault === 'service-unavailable') return failed(apiErrors.serviceUnavailable('Injected fault: service unavailable.'));
  if (body === null) return failed(apiErrors.serialization(`The request body exceeds ${MAX_BODY_BYTES} bytes.`));

  const scope = parseCredentialScope(header(request, 'authorization'));
  if (scope === null) return failed(apiErrors.missingAuthenticationToken('Missing Authentication Token'));
  const target = header(request, 'x-amz-target');
  if (request.method !== 'POST' || target === undefined || !LOOKUP_EVENTS_TARGETS.includes(target)) {
    return failed(apiErrors.unknownOperation(`ctq-emulator serves only LookupEvents; got ${request.method} ${target ?? '(no X-Amz-Target)'}.`));
  }
  const choice = accountFor(scope.accessKeyId, parts.accounts, parts.store.summary.accounts);
  if (!choice.ok) return failed(choice.error);
  if (!parts.limiter.tryTake(`${choice.account}/${scope.region}`) || fault === 'throttle') {
    return failed(apiErrors.throttling('Rate exceeded'));
  }

  const parsed = parseLookupEventsRequest(body);
  if (!parsed.ok) return failed(parsed.error);
  const { request: lookup } = parsed;
  const query: LookupQuery = {
    account: choice.account,
    region: scope.region,
    category: lookup.category,
    attribute: lookup.attribute,
    startMs: lookup.startMs,
    endMs: lookup.endMs,
  };
  const fingerprint = JSON.stringify(query);
  let from = 0;
  if (lookup.nextToken !== null) {
    const position = parts.tokens.decode(lookup.nextToken, fingerprint);
    if (position === null) {
      return failed(apiErrors.invalidNextToken('Invalid NextToken, or one used with different request parameters.'));
    }
    from = position;
  }
  const page = parts.store.page(query, from, lookup.maxResults);
  const payload = {
    Events: page.events.map(toApiEvent),
    ...(page.next !== null && { NextToken: parts.tokens.encode(page.next, fingerprint) }),
  };
  return {
    kind: 'ok',
    payload,
    summary: `${choice.account} ${scope.region} from=${from} events=${page.events.length} more=${page.next !== null}`,
  };
}

function failed(error: ApiError): Outcome {
  return { kind: 'error', error };
}

function sendError(response: ServerResponse, error: ApiError): void {
  response.setHeader('x-amzn-ErrorType', error.type);
  send(response, error.status, JSON.stringify({ __type: error.type, message: error.message }));
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': randomUUID(),
  });
  response.end(body);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body as text, or null if it is too large to be a LookupEvents request. */
function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
