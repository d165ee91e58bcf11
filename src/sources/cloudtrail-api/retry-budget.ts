/**
 * How a LookupEvents call rides out throttling: retried for as long as a time budget allows, not a fixed number
 * of attempts.
 *
 * CloudTrail allows LookupEvents "two requests per second per account per Region" (WhatIsCloudTrail-Limits.md) and
 * answers more with ThrottlingException. The SDK's standard strategy gives up after `maxAttempts` (8 here) and
 * draws every retry from a token bucket shared by the client's calls, so under sustained throttling (another tool
 * sharing the account's quota, 50 % of calls refused) a region fails within seconds although waiting would have
 * worked. A page that is throttled is retried with exponential backoff and full jitter (1 s base, at most 20 s
 * apart, as the SDK does) until `throttleBudgetMs` has passed since the call began; only then does its region
 * fail, with a message that says so. Transient faults (5xx, reset connections, timeouts) keep the SDK's rule:
 * `maxAttempts` attempts, 50 ms base. Other errors are not retried.
 */
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';

/** Default: ten minutes of throttling per call before its region is reported as failed. */
export const DEFAULT_THROTTLE_BUDGET_MS = 10 * 60_000;
const THROTTLING_BASE_MS = 1_000;
const TRANSIENT_BASE_MS = 50;
const MAX_DELAY_MS = 20_000;

export interface RetryBudget {
  /** Attempts for transient faults (5xx, dropped connections), first attempt included. */
  readonly maxAttempts: number;
  /** How long a call keeps retrying throttling answers, from its first attempt. */
  readonly throttleBudgetMs: number;
  /** The first backoff for a throttle (doubled each retry, jittered); tests make it small. */
  readonly throttlingBaseMs?: number;
}

class BudgetToken implements StandardRetryToken {
  constructor(
    readonly startedMs: number,
    readonly count: number,
    readonly transientRetries: number,
    readonly delayMs: number,
  ) {}
  getRetryCount(): number {
    return this.count;
  }
  getRetryDelay(): number {
    return this.delayMs;
  }
  getRetryCost(): number | undefined {
    return undefined;
  }
}

export class ThrottleBudgetRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard';

  constructor(
    private readonly budget: RetryBudget,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  async acquireInitialRetryToken(): Promise<BudgetToken> {
    return new BudgetToken(this.now(), 0, 0, 0);
  }

  async refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<BudgetToken> {
    if (!(token instanceof BudgetToken)) throw new Error('not a token of this strategy');
    const count = token.count + 1;
    if (errorInfo.errorType === 'THROTTLING') {
      const delay = this.backoff(this.budget.throttlingBaseMs ?? THROTTLING_BASE_MS, count, errorInfo.retryAfterHint);
      // The retry middleware rethrows the call's own error when this throws: the caller sees the ThrottlingException.
      if (this.now() + delay - token.startedMs > this.budget.throttleBudgetMs) throw new Error('throttle budget spent');
      return new BudgetToken(token.startedMs, count, token.transientRetries, delay);
    }
    if (errorInfo.errorType === 'TRANSIENT' && token.transientRetries + 1 < this.budget.maxAttempts) {
      return new BudgetToken(token.startedMs, count, token.transientRetries + 1, this.backoff(TRANSIENT_BASE_MS, token.transientRetries + 1));
    }
    throw new Error('not retried');
  }

  recordSuccess(): void {}

  /** Full jitter over an exponentially growing ceiling; a server's Retry-After is honoured when later. */
  private backoff(baseMs: number, retry: number, retryAfter?: Date): number {
    const ceiling = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.min(retry - 1, 30));
    const jittered = Math.floor(this.random() * ceiling);
    const hinted = retryAfter instanceof Date ? Math.min(retryAfter.getTime() - this.now(), MAX_DELAY_MS) : 0;
    return Math.max(jittered, hinted, 0);
  }
}
