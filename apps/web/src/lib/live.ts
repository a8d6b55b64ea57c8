/**
 * How often a screen re-reads what the worker is still changing, until the live event stream
 * invalidates it instead. Settled records are not polled.
 */
export const LIVE_POLL_MS = 2000;

const moving = new Set(["submitted", "processing", "pending"]);

export function pollWhileMoving(status: string | undefined): number | false {
  return status !== undefined && moving.has(status) ? LIVE_POLL_MS : false;
}
