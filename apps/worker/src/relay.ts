import { type Db, listen } from "@canopy/db";
import { type DeliveryJob, type PendingEvent, relayBatch, webhookFanOut } from "@canopy/domain/messaging";
import { backoffDelay } from "@canopy/domain/shared";
import type { Logger } from "pino";

export interface RelayOptions {
  db: Db;
  databaseUrl: string;
  push: (events: PendingEvent[]) => Promise<void>;
  /** Sends or enqueues the first attempts of the deliveries the batch fanned out to (after its commit); returns those enqueued. */
  deliver: (jobs: DeliveryJob[]) => Promise<DeliveryJob[]>;
  /** How long the deliveries' rows are left to `deliver` before the sweep may re-send them (0: not at all). */
  deliveriesTrustMs?: number;
  /** Told when a batch committed (what `push` reserved for in-process runs may start) or did not. */
  batches?: { committed(): void; failed(): void };
  /** False while the queue's Redis is unreachable: the relay then waits for `wake()`. */
  canPush: () => boolean;
  batchSize: number;
  safetyPollMs: number;
  log: Logger;
}

export interface Relay {
  /** Asks for a relay run; runs are coalesced, never concurrent within a process. */
  wake(): void;
  /** Resolves when no run is in progress and nothing is waiting to be relayed by this process. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const NOTIFY_CHANNEL = "canopy_events";

/**
 * The outbox relay (see `relayBatch` for the ordering argument). It runs when Postgres
 * announces committed events (LISTEN canopy_events, sent by a trigger on the events table),
 * after every (re)connection of the listener, when Redis becomes ready again, and on a slow
 * safety poll in case a notification was missed. A failed run is retried with backoff.
 */
export function startRelay({
  db,
  databaseUrl,
  push,
  deliver,
  deliveriesTrustMs,
  batches,
  canPush,
  batchSize,
  safetyPollMs,
  log,
}: RelayOptions): Relay {
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  const webhooks = webhookFanOut(deliver, { queuedForMs: deliveriesTrustMs });
  const fanOut: typeof webhooks = {
    ...webhooks,
    afterCommit(trx, written) {
      batches?.committed();
      return webhooks.afterCommit(trx, written);
    },
  };
  const relayOnce = async () => {
    try {
      return await relayBatch(db, { push, limit: batchSize, consumer: fanOut });
    } finally {
      batches?.failed(); // a no-op once the batch committed
    }
  };

  async function runUntilEmpty() {
    do {
      again = false;
      if (!canPush()) return; // Redis is down; its 'ready' event wakes us
      try {
        while (!stopped && (await relayOnce()) === batchSize) {}
        failures = 0;
      } catch (error) {
        failures++;
        const delay = backoffDelay(failures, 400, 30_000);
        log.warn({ err: error, retryInMs: delay }, "outbox relay failed; will retry");
        if (!stopped && !retryTimer) {
          retryTimer = setTimeout(() => {
            retryTimer = undefined;
            wake();
          }, delay);
        }
        return;
      }
    } while (again && !stopped);
  }

  function wake() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runUntilEmpty().finally(() => {
      running = undefined;
      if (again && !stopped) wake();
    });
  }

  const listener = listen({
    connectionString: databaseUrl,
    channel: NOTIFY_CHANNEL,
    onNotification: wake,
    onConnected: wake, // catch up on whatever committed while we were not listening
    onError: (error) => log.warn({ err: error }, "outbox listener connection lost; reconnecting"),
  });
  const poll = setInterval(wake, safetyPollMs);
  poll.unref();

  return {
    wake,
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(poll);
      if (retryTimer) clearTimeout(retryTimer);
      await listener.close();
      while (running) await running;
    },
  };
}
