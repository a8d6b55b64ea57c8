import type { Db } from "@canopy/db";
import type { Actor } from "@canopy/domain/identity";
import { permissions } from "@canopy/domain/identity";
import { decodeCursor, forbidden, notFound, type Page, pageOf, preconditionFailed } from "@canopy/domain/shared";
import {
  findDelivery,
  listAttempts,
  listDeliveries as queryDeliveries,
  toAttempt,
  toDelivery,
  updateDeliveryRow,
} from "./deliveries.repository";
import { findEndpoint } from "./endpoints.repository";
import type { DeliveriesListInput, WebhookDelivery, WebhookDeliveryDetail } from "./webhooks.schema";

/** Deliveries to the actor's own endpoints, newest first. */
export async function listDeliveries(db: Db, actor: Actor, input: DeliveriesListInput): Promise<Page<WebhookDelivery>> {
  permissions.manageWebhooks(actor);
  if (input.endpointId && !(await findEndpoint(db, input.endpointId, { ownedBy: actor.accountId }))) throw notFound("webhook endpoint");
  const rows = await queryDeliveries(db, {
    accountId: actor.accountId,
    endpointId: input.endpointId,
    eventId: input.eventId,
    status: input.status,
    beforeId: decodeCursor(input.cursor),
    limit: input.limit,
  });
  return pageOf(rows, input.limit, (r) => r.id, toDelivery);
}

async function loadOwnDelivery(db: Db, actor: Actor, id: string) {
  permissions.manageWebhooks(actor);
  const row = await findDelivery(db, id, { ownedBy: actor.accountId });
  if (!row) throw notFound("webhook delivery");
  return row;
}

/** One delivery with every attempt: time, status code, duration, first KiB of the answer, error. */
export async function getDelivery(db: Db, actor: Actor, id: string): Promise<WebhookDeliveryDetail> {
  const row = await loadOwnDelivery(db, actor, id);
  return { ...toDelivery(row), attemptLog: (await listAttempts(db, row.id)).map(toAttempt) };
}

/** Re-sends a delivery by hand, whatever became of it; the worker's sweep sends it at once. */
export async function retryDelivery(db: Db, actor: Actor, id: string): Promise<WebhookDelivery> {
  return redeliver(db, await loadOwnDelivery(db, actor, id));
}

/**
 * The queue dashboard's Retry on a delivery that gave up: the same as the owner's retry, for
 * the platform's operator (a provider admin), whoever owns the endpoint.
 */
export async function retryDeliveryAsOperator(db: Db, actor: Actor, id: string): Promise<WebhookDelivery> {
  if (actor.accountType !== "provider" || actor.role !== "admin") throw forbidden("for provider admins only");
  const row = await findDelivery(db, id, {});
  if (!row) throw notFound("webhook delivery");
  return redeliver(db, row);
}

async function redeliver(db: Db, row: NonNullable<Awaited<ReturnType<typeof findDelivery>>>): Promise<WebhookDelivery> {
  const endpoint = await findEndpoint(db, row.endpoint_id, { forUpdate: true });
  if (!endpoint?.enabled) throw preconditionFailed("the endpoint is disabled; enable it first");
  if (row.status === "pending") return toDelivery(row);
  return toDelivery(await updateDeliveryRow(db, row.id, { status: "pending", next_attempt_at: new Date(), queued_until: null }));
}
