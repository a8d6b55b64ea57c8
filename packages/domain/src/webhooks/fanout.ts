import type { Database, Kysely } from "@canopy/db";
import { newId } from "../shared/ids";
import { eventBody, tooLarge } from "./message";
import { endpointsForEvent, firstAttemptsOfEvent, insertDeliveries, QUEUED_TRUST_MS } from "./webhooks.repository";
import type { DeliveryJob } from "./webhooks.schema";

type Db = Kysely<Database>;

/**
 * Turns one committed event into one delivery per endpoint that should receive it, and returns
 * the jobs to enqueue. Running it twice for the same event is harmless: rows are unique per
 * (endpoint, event), and only deliveries still waiting for their first attempt are returned,
 * under job ids the queue deduplicates.
 */
export async function fanOutEvent(db: Db, eventId: string): Promise<DeliveryJob[]> {
  const event = await db.selectFrom("events").selectAll().where("id", "=", eventId).executeTakeFirst();
  if (!event) return [];
  const endpoints = await endpointsForEvent(db, event);
  if (endpoints.length === 0) return [];
  // Refused at the source: an oversized payload is recorded as failed with the reason, never sent.
  const refusal = tooLarge(eventBody(event));
  const now = new Date();
  await insertDeliveries(
    db,
    endpoints.map((endpoint) => ({
      id: newId("dlv"),
      endpoint_id: endpoint.id,
      account_id: endpoint.account_id,
      event_id: event.id,
      event_type: event.type,
      message_id: event.id,
      status: refusal ? "failed" : "pending",
      next_attempt_at: refusal ? null : now,
      // The caller enqueues the first attempt right away.
      queued_until: refusal ? null : new Date(now.getTime() + QUEUED_TRUST_MS),
      last_error: refusal,
    })),
  );
  return firstAttemptsOfEvent(db, event.id);
}
