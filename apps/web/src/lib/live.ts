import { useSyncExternalStore } from "react";

/**
 * How often a screen re-reads what the worker is still changing while the live event stream is
 * not connected. While it is, the stream's events invalidate those screens instead (live-events.ts).
 */
export const LIVE_POLL_MS = 2000;

/** The panel's one event stream: connected, (re)connecting, or given up on. */
export type LiveState = "live" | "connecting" | "offline";

let state: LiveState = "connecting";
const listeners = new Set<() => void>();

export function setLiveState(next: LiveState): void {
  if (next === state) return;
  state = next;
  for (const listener of listeners) listener();
}

export function liveState(): LiveState {
  return state;
}

export function useLiveState(): LiveState {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, liveState);
}

/** The refetch interval of a screen showing something on the move: none while the stream is live. */
export function pollWhile(moving: boolean): number | false {
  return moving && state !== "live" ? LIVE_POLL_MS : false;
}

const moving = new Set(["submitted", "processing", "pending"]);

export function pollWhileMoving(status: string | undefined): number | false {
  return pollWhile(status !== undefined && moving.has(status));
}
