import type { Db, Insertable, WebhookDeliveryAttemptsTable, WebhookDeliveryRow } from "@canopy/db";
import { type ClaimedDelivery, claimAttempts, recordSuccesses } from "./deliveries.repository";
import { attemptLeaseMs, type WebhookSettings } from "./settings";

/** Most asks one statement carries (each ask is a handful of parameters). */
const MAX_BATCH = 500;

/**
 * Runs `flush` over asks made concurrently: the first ask goes out at once, and asks made
 * while a statement is in flight wait for it and then go out together. Nothing waits on a
 * timer, so a lone delivery pays no latency, and under load many deliveries share one round
 * trip (group commit). A failed statement fails every ask in it.
 */
class Coalescer<I, O> {
  private waiting: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = false;

  constructor(private readonly flush: (items: I[]) => Promise<O[]>) {}

  ask(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.inFlight) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.inFlight = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      try {
        const out = await this.flush(batch.map((b) => b.item));
        for (const [i, b] of batch.entries()) b.resolve(out[i] as O);
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.inFlight = false;
  }
}

/**
 * The hot path of webhook delivery (claim an attempt, log a success) for one worker process,
 * with concurrent deliveries sharing statements: at a few thousand deliveries a second the
 * round trips to Postgres, not the work in them, are what costs. Failures and retries are
 * rare and take their own transaction in `attemptDelivery`.
 */
export class DeliveryLog {
  private readonly claims: Coalescer<{ id: string; attempt: number }, ClaimedDelivery | undefined>;
  private readonly successes: Coalescer<
    { attempt: Insertable<WebhookDeliveryAttemptsTable>; lastStatus: number },
    WebhookDeliveryRow | undefined
  >;

  constructor(db: Db, settings: WebhookSettings) {
    const leaseMs = attemptLeaseMs(settings);
    this.claims = new Coalescer((asks) => claimAttempts(db, asks, leaseMs));
    this.successes = new Coalescer((items) => recordSuccesses(db, items));
  }

  claim(id: string, attempt: number): Promise<ClaimedDelivery | undefined> {
    return this.claims.ask({ id, attempt });
  }

  async recordSuccess(attempt: Insertable<WebhookDeliveryAttemptsTable>, lastStatus: number): Promise<WebhookDeliveryRow> {
    const row = await this.successes.ask({ attempt, lastStatus });
    if (!row) throw new Error(`delivery ${attempt.delivery_id} not found`);
    return row;
  }
}
