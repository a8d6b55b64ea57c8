import type { Db } from "@canopy/db";
import { type Actor, readScope } from "@canopy/domain/identity";
import { type CanopyEvent, toEvent } from "@canopy/domain/shared";
import { TypeID } from "typeid-js";
import type { EventWakeups } from "./event-wakeups";
import { listEventsAfter } from "./events.repository";
import type { EventsStreamInput } from "./events.schema";

export interface StreamOptions {
  /** Wakes the stream when events commit; without it the stream polls. */
  wakeups?: EventWakeups;
  /** Ends the stream (the client went away, the server is closing). */
  signal?: AbortSignal;
  /** How often to look even without a wakeup: the fallback should a notification be lost. */
  pollMs?: number;
  /** How often to look while notifications are down or absent. */
  fallbackPollMs?: number;
}

const PAGE = 100;
/**
 * Event ids are UUIDv7 (time-ordered) but taken at insert, not at commit: an event of a
 * slower transaction can commit after a later id was streamed. A live stream re-reads this
 * much of the recent past and skips what it already sent, so such an event is not lost.
 */
const LOOKBACK_MS = 10_000;

/** The smallest event id of the millisecond `ms`: ids compare as strings in time order. */
function idAt(ms: number): string {
  const hex = Math.max(0, ms).toString(16).padStart(12, "0");
  return TypeID.fromUUID("evt", `${hex.slice(0, 8)}-${hex.slice(8)}-7000-8000-000000000000`).toString();
}

/**
 * The events within the caller's reach (the same reach as events.list), oldest first after
 * `lastEventId`, then live until `signal` aborts. Resuming from an id yields exactly the events
 * after it; an event whose transaction committed after a later one was already sent to a
 * previous connection is the one thing a resumption can miss (docs/api.md).
 */
export async function* streamEvents(db: Db, actor: Actor, input: EventsStreamInput, opts: StreamOptions = {}): AsyncGenerator<CanopyEvent> {
  const scopePath = readScope(actor);
  if (!scopePath) return;
  const { wakeups, signal, pollMs = 10_000, fallbackPollMs = 1_000 } = opts;
  const types = input.types && input.types.length > 0 ? input.types : undefined;

  let woken = false;
  let wake: (() => void) | undefined;
  const unsubscribe = wakeups?.subscribe(() => {
    woken = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  const rest = () =>
    new Promise<void>((resolve) => {
      if (woken || signal?.aborted) return resolve();
      const timer = setTimeout(done, wakeups?.live ? pollMs : fallbackPollMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  // Nothing at or before `floor` is sent: the resumption point, or the moment the stream opened.
  const floor = input.lastEventId ?? idAt(Date.now());
  let cursor = floor; // the largest id sent
  const sent = new Set<string>(); // the ids sent inside the look-back window
  let catchingUp = true;
  try {
    while (!signal?.aborted) {
      woken = false;
      const windowStart = idAt(Date.now() - LOOKBACK_MS);
      // Event ids are strings ordered as text, so Math.min/max do not apply.
      // biome-ignore lint/complexity/useMathMinMax: string ids
      const lookBack = cursor < windowStart ? cursor : windowStart;
      // biome-ignore lint/complexity/useMathMinMax: string ids
      const after = catchingUp ? cursor : lookBack > floor ? lookBack : floor;
      const rows = await listEventsAfter(db, { scopePath, after, types, limit: PAGE });
      for (const row of rows) {
        if (sent.has(row.id)) continue;
        if (signal?.aborted) return;
        yield toEvent(row);
        sent.add(row.id);
        if (row.id > cursor) cursor = row.id;
      }
      for (const id of sent) if (id < windowStart) sent.delete(id);
      // A full page: more may be waiting past the cursor; read on at once.
      catchingUp = rows.length === PAGE;
      if (!catchingUp) await rest();
    }
  } finally {
    unsubscribe?.();
    signal?.removeEventListener("abort", onAbort);
  }
}
