/**
 * The retry policy: how long to wait before a retry.
 *
 * @module
 */

import type { RetryPolicy } from "./_config.ts";

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds; `undefined` when absent or invalid. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (1-based): the server's `Retry-After` when given (or `undefined` when it
 * asks for longer than `maxDelayMs`, meaning "give up"), otherwise full-jitter exponential backoff.
 */
export function retryDelay(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs <= policy.maxDelayMs ? retryAfterMs : undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}
