import type { Db, WebhookEndpointRow } from "@canopy/db";
import type { Actor } from "@canopy/domain/identity";
import { eventOrigin, permissions } from "@canopy/domain/identity";
import {
  badRequest,
  decodeCursor,
  type EventType,
  insertEvent,
  newId,
  notFound,
  type Page,
  pageOf,
  preconditionFailed,
} from "@canopy/domain/shared";
import { checkEndpointUrl, type HostResolver } from "./address-guard";
import { insertDelivery, listAttempts, missedEvents, reopenDeliveries, toAttempt, toDelivery } from "./deliveries.repository";
import { attemptDelivery } from "./delivery";
import {
  deleteEndpointRow,
  findEndpoint,
  insertEndpoint,
  listEndpoints as queryEndpoints,
  toEndpoint,
  updateEndpointRow,
} from "./endpoints.repository";
import { tooLarge } from "./message";
import { seal } from "./secret-box";
import { WebhookSender } from "./sender";
import type { WebhookSettings } from "./settings";
import { newWebhookSecret } from "./signing";
import type {
  EndpointsCreateInput,
  EndpointsDisableInput,
  EndpointsListInput,
  EndpointsRecoverInput,
  EndpointsSendTestInput,
  EndpointsUpdateInput,
  WebhookDeliveryDetail,
  WebhookEndpoint,
} from "./webhooks.schema";

/** How long the previous secret keeps signing after a rotation (docs/webhooks.md). */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;
/** The most events one `recover` call re-sends; call again with a later `since` for more. */
export const RECOVER_LIMIT = 10_000;

/** An endpoint of the actor's own account, or NOT_FOUND: the provider and resellers manage their own only. */
async function loadOwnEndpoint(db: Db, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}) {
  permissions.manageWebhooks(actor);
  const row = await findEndpoint(db, id, { ownedBy: actor.accountId, forUpdate: opts.forUpdate });
  if (!row) throw notFound("webhook endpoint");
  return row;
}

/**
 * An endpoint's management concerns its owner (the owner and the accounts above it see it). The
 * data is the endpoint as the API shows it: never its signing secret, sealed or not.
 */
async function endpointEvent(db: Db, actor: Actor, type: EventType, row: WebhookEndpointRow) {
  await insertEvent(db, {
    type,
    origin: eventOrigin(actor),
    account: { id: row.account_id, path: row.account_path },
    data: toEndpoint(row),
  });
}

async function assertUrlAllowed(settings: WebhookSettings, url: string, resolve?: HostResolver) {
  const verdict = await checkEndpointUrl(url, { allowPrivate: settings.allowPrivateUrls, resolve });
  if (!verdict.ok) throw badRequest(`url refused: ${verdict.reason}`);
}

/** Returns the signing secret this once; it is stored sealed, never shown again. */
export async function createEndpoint(
  db: Db,
  actor: Actor,
  settings: WebhookSettings,
  input: EndpointsCreateInput,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  permissions.manageWebhooks(actor);
  await assertUrlAllowed(settings, input.url);
  const id = newId("whe");
  const secret = newWebhookSecret();
  const row = await insertEndpoint(db, {
    id,
    account_id: actor.accountId,
    account_path: actor.accountPath,
    url: input.url,
    description: input.description ?? null,
    event_types: input.eventTypes,
    secret_sealed: seal(settings.sealingKey, secret, id),
  });
  await endpointEvent(db, actor, "webhook.endpoint.created", row);
  return { endpoint: toEndpoint(row), secret };
}

export async function getEndpoint(db: Db, actor: Actor, id: string): Promise<WebhookEndpoint> {
  return toEndpoint(await loadOwnEndpoint(db, actor, id));
}

export async function listEndpoints(db: Db, actor: Actor, input: EndpointsListInput): Promise<Page<WebhookEndpoint>> {
  permissions.manageWebhooks(actor);
  const rows = await queryEndpoints(db, {
    accountId: actor.accountId,
    enabled: input.enabled,
    afterId: decodeCursor(input.cursor),
    limit: input.limit,
  });
  return pageOf(rows, input.limit, (r) => r.id, toEndpoint);
}

export async function updateEndpoint(
  db: Db,
  actor: Actor,
  settings: WebhookSettings,
  input: EndpointsUpdateInput,
): Promise<WebhookEndpoint> {
  const row = await loadOwnEndpoint(db, actor, input.id, { forUpdate: true });
  if (input.url !== undefined) await assertUrlAllowed(settings, input.url);
  const updated = await updateEndpointRow(db, row.id, {
    url: input.url,
    description: input.description,
    event_types: input.eventTypes,
  });
  await endpointEvent(db, actor, "webhook.endpoint.updated", updated);
  return toEndpoint(updated);
}

export async function deleteEndpoint(db: Db, actor: Actor, id: string): Promise<{ id: string; deleted: true }> {
  const row = await loadOwnEndpoint(db, actor, id, { forUpdate: true });
  await deleteEndpointRow(db, row.id);
  // The endpoint as it was: the last word on it.
  await endpointEvent(db, actor, "webhook.endpoint.deleted", row);
  return { id: row.id, deleted: true };
}

/** Re-enables an endpoint with a clean slate; what it missed comes back with `recover`. */
export async function enableEndpoint(db: Db, actor: Actor, id: string): Promise<WebhookEndpoint> {
  const row = await loadOwnEndpoint(db, actor, id, { forUpdate: true });
  if (row.enabled) return toEndpoint(row);
  const updated = await updateEndpointRow(db, row.id, { enabled: true, disabled_reason: null, failing_since: null });
  await endpointEvent(db, actor, "webhook.endpoint.enabled", updated);
  return toEndpoint(updated);
}

export async function disableEndpoint(db: Db, actor: Actor, input: EndpointsDisableInput): Promise<WebhookEndpoint> {
  const row = await loadOwnEndpoint(db, actor, input.id, { forUpdate: true });
  const updated = await updateEndpointRow(db, row.id, { enabled: false, disabled_reason: input.reason ?? "disabled by its owner" });
  // The same type as an automatic disable; the actor tells them apart (the owner, or the system).
  if (row.enabled) await endpointEvent(db, actor, "webhook.endpoint.disabled", updated);
  return toEndpoint(updated);
}

/**
 * Issues a new secret; the old one keeps signing beside it for 24 hours, so receivers can move
 * to the new one without losing a message. Returns the new secret this once.
 */
export async function rotateSecret(
  db: Db,
  actor: Actor,
  settings: WebhookSettings,
  id: string,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const row = await loadOwnEndpoint(db, actor, id, { forUpdate: true });
  const secret = newWebhookSecret();
  const updated = await updateEndpointRow(db, row.id, {
    secret_sealed: seal(settings.sealingKey, secret, row.id),
    previous_secret_sealed: row.secret_sealed,
    previous_secret_expires_at: new Date(Date.now() + ROTATION_OVERLAP_MS),
  });
  await endpointEvent(db, actor, "webhook.endpoint.secretRotated", updated);
  return { endpoint: toEndpoint(updated), secret };
}

/**
 * Re-sends what the endpoint missed since `since`: events it has no successful or pending
 * delivery of, those that failed and those that were never sent while it was disabled. The
 * deliveries are due at once; the worker's sweep picks them up.
 */
export async function recoverEndpoint(db: Db, actor: Actor, input: EndpointsRecoverInput): Promise<{ queued: number }> {
  const row = await loadOwnEndpoint(db, actor, input.id);
  if (!row.enabled) throw preconditionFailed("the endpoint is disabled; enable it before recovering");
  const since = new Date(input.since);
  if (since > new Date()) throw badRequest("since must be in the past");
  const events = await missedEvents(db, row, since, RECOVER_LIMIT);
  const now = new Date();
  const queued = await reopenDeliveries(
    db,
    events.map((e) => ({
      id: newId("dlv"),
      endpoint_id: row.id,
      account_id: row.account_id,
      event_id: e.id,
      event_type: e.type,
      message_id: e.id,
      next_attempt_at: now,
    })),
  );
  return { queued };
}

/**
 * Sends one test message now and reports how the receiver answered. It is logged like any
 * delivery, and is not retried. Not in a transaction: nothing is held open during the request.
 */
export async function sendTest(
  db: Db,
  actor: Actor,
  settings: WebhookSettings,
  input: EndpointsSendTestInput,
): Promise<WebhookDeliveryDetail> {
  const row = await loadOwnEndpoint(db, actor, input.id);
  if (!row.enabled) throw preconditionFailed("the endpoint is disabled");
  const id = newId("dlv");
  const payload = { type: input.type, timestamp: new Date().toISOString(), data: input.data };
  const refusal = tooLarge(JSON.stringify(payload));
  if (refusal) throw badRequest(refusal);
  await insertDelivery(db, {
    id,
    endpoint_id: row.id,
    account_id: row.account_id,
    event_id: null,
    event_type: input.type,
    message_id: id,
    payload: JSON.stringify(payload),
    next_attempt_at: null,
  });
  const sender = new WebhookSender({ allowPrivateUrls: settings.allowPrivateUrls, timeoutMs: settings.timeoutMs, connectionsPerOrigin: 1 });
  try {
    const outcome = await attemptDelivery(db, settings, sender, { deliveryId: id, attempt: 0 }, { retry: false });
    if (outcome.kind === "stale") throw preconditionFailed("the endpoint changed during the test");
    return { ...toDelivery(outcome.delivery), attemptLog: (await listAttempts(db, id)).map(toAttempt) };
  } finally {
    await sender.close();
  }
}
