import { type Listener, listen } from "@canopy/db";

/** The channel the events table's trigger notifies at every commit that wrote events. */
export const EVENTS_CHANNEL = "canopy_events";

/** Tells event streams that new events may have committed. */
export interface EventWakeups {
  /** Calls `wake` after each commit that wrote events; returns the unsubscribe. */
  subscribe(wake: () => void): () => void;
  /** False while the notifications are down: streams then poll more often. */
  readonly live: boolean;
  close(): Promise<void>;
}

/**
 * One LISTEN connection per process, fanned out to every open stream: a thousand listening
 * clients cost one Postgres connection, not a thousand.
 */
export function listenForEvents(connectionString: string, onError?: (error: Error) => void): EventWakeups {
  const subscribers = new Set<() => void>();
  let live = false;
  const wakeAll = () => {
    for (const wake of subscribers) wake();
  };
  const listener: Listener = listen({
    connectionString,
    channel: EVENTS_CHANNEL,
    onNotification: wakeAll,
    // Whatever committed while the connection was down was not announced: everyone re-reads.
    onConnected: () => {
      live = true;
      wakeAll();
    },
    onError: (error) => {
      live = false;
      onError?.(error);
    },
  });
  return {
    subscribe(wake) {
      subscribers.add(wake);
      return () => subscribers.delete(wake);
    },
    get live() {
      return live;
    },
    close: () => listener.close(),
  };
}
