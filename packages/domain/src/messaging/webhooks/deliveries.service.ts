import type { Db } from "@canopy/db";
import type { Actor } from "@canopy/domain/identity";
import { permissions, reaches } from "@canopy/domain/identity";
import { decodeCursor, forbidden, notFound, type Page, pageOf, preconditionFailed } from "@canopy/domain/shared";
import {
  findDelivery,
  listAttempts,
  listDeliveries as queryDeliveries,
  toAttempt,
  toDelivery,
  toListedDelivery,
  updateDeliveryRow,
} from "./deliveries.repository";
import { findEndpoint } from "./endpoints.repository";
import type { DeliveriesListInput, WebhookDelivery, WebhookDeliveryDetail, WebhookDeliveryListed } from "./webhooks.schema";

/**
 * Deliveries newest first: to the actor's own account's endpoints, or (`scope: "subtree"`) to
 * the endpoints of every account in its reach (the whole platform for the provider), each with
 * the endpoint's URL and owner.
 */
export async function listDeliveries(db: Db, actor: Actor, input: DeliveriesListInput): Promise<Page<WebhookDeliveryListed>> {
  permissions.manageWebhooks(actor);
  const subtree = input.scope === "subtree";
  if (input.endpointId) {
    const endpoint = await findEndpoint(db, input.endpointId, subtree ? {} : { ownedBy: actor.accountId });
    if (!endpoint || !reaches(actor, endpoint.account_path)) throw notFound("webhook endpoint");
  }
  const rows = await queryDeliveries(db, {
    ...(subtree ? { within: actor.accountPath } : { accountId: actor.accountId }),
    endpointId: input.endpointId,
    eventId: input.eventId,
    status: input.status,
    beforeId: decodeCursor(input.cursor),
    limit: input.limit,
  });
  return pageOf(rows, input.limit, (r) => r.id, toListedDelivery);
}

/** A delivery to an endpoint of any account in the actor's reach (its own and every account below). */
async function loadDeliveryInReach(db: Db, actor: Actor, id: string) {
  permissions.manageWebhooks(actor);
  const row = await findDelivery(db, id, { within: actor.accountPath });
  if (!row) throw notFound("webhook delivery");
  return row;
}

/** One delivery with every attempt: time, status code, duration, first KiB of the answer, error. */
export async function getDelivery(db: Db, actor: Actor, id: string): Promise<WebhookDeliveryDetail> {
  const row = await loadDeliveryInReach(db, actor, id);
  return { ...toDelivery(row), attemptLog: (await listAttempts(db, row.id)).map(toAttempt) };
}

/** Re-sends a delivery by hand, whatever became of it; the worker's sweep sends it at once. */
export async function retryDelivery(db: Db, actor: Actor, id: string): Promise<WebhookDelivery> {
  return redeliver(db, await loadDeliveryInReach(db, actor, id));
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
