/**
 * The one way Canopy waits before trying again (job retries, the outbox relay, webhook
 * retries): randomised, so that the retries of many things that failed together spread out
 * instead of arriving together.
 */

/** `ms` moved by up to ±`fraction` of itself, at random. */
export function withJitter(ms: number, fraction: number, random: () => number = Math.random): number {
  return Math.round(ms * (1 - fraction + 2 * fraction * random()));
}

/**
 * Exponential backoff: the n-th retry waits between half and all of base·2^(n-1), capped at
 * `maxMs` (its ceiling doubles per attempt; "equal jitter" keeps at least half of it).
 */
export function backoffDelay(attemptsMade: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
