import type { EventType } from "@canopy/domain/event-types";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useRef } from "react";
import { queryClient, trpc } from "../trpc";
import { type LiveState, setLiveState } from "./live";
import { type Change, readsChangedBy } from "./refresh";

/** Marks what an event changed as stale; the screens showing it re-read it at once. */
export function invalidateFor(type: EventType): void {
  const change = type.slice(0, type.indexOf(".")) as Change;
  // Every event may be delivered to webhook endpoints.
  const keys = [...readsChangedBy(change), trpc.webhooks.deliveries.pathKey()];
  for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
}

/** After a fatal stream error (not a drop, which the link retries itself), try again this much later. */
const RETRY_AFTER_MS = 5000;

/**
 * The signed-in session's one event stream (the app shell holds it): each event invalidates the
 * reads it affects, so screens follow changes made elsewhere without polling. The server scopes
 * the stream to what the caller may read. tRPC's SSE link reconnects after a drop and resumes
 * after the last event id it saw, so nothing in between is lost.
 */
export function useLiveEvents(): LiveState {
  const stream = useSubscription(
    trpc.events.stream.subscriptionOptions(
      {},
      {
        onData: (tracked) => invalidateFor(tracked.data.type),
      },
    ),
  );
  const state: LiveState = stream.status === "pending" ? "live" : stream.status === "error" ? "offline" : "connecting";
  const previous = useRef(state);
  useEffect(() => {
    setLiveState(state);
    // A screen decides whether to poll each time it reads: on a drop, the screens on show re-read
    // now and so start polling until the stream is back (the replay after the last event id
    // covers the gap, and their next read stops the polling again).
    if (previous.current === "live" && state !== "live") void queryClient.invalidateQueries({ type: "active" });
    previous.current = state;
  }, [state]);
  const { reset } = stream;
  useEffect(() => {
    if (state !== "offline") return;
    const timer = setTimeout(reset, RETRY_AFTER_MS);
    return () => clearTimeout(timer);
  }, [state, reset]);
  useEffect(() => () => setLiveState("connecting"), []);
  return state;
}
