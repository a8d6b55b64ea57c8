import type { Db, WebhookDeliveryRow, WebhookEndpointRow } from "@canopy/db";
import { insertEvent, newId, systemOrigin } from "@canopy/domain/shared";
import {
  type ClaimedDelivery,
  claimAttempt,
  findDelivery,
  insertAttempt,
  QUEUED_TRUST_MS,
  recordSuccess,
  updateDeliveryRow,
} from "./deliveries.repository";
import type { DeliveryLog } from "./delivery-log";
import { clearEndpointFailures, findEndpoint, markEndpointFailing, toEndpoint, updateEndpointRow } from "./endpoints.repository";
import { deliveryBody, tooLarge } from "./message";
import { DISABLE_AFTER_MS, MAX_ATTEMPTS, parseRetryAfter, retryDelayMs } from "./retry-schedule";
import { open } from "./secret-box";
import type { AttemptResult, WebhookSender } from "./sender";
import { attemptLeaseMs, type WebhookSettings } from "./settings";
import { signMessage } from "./signing";
import type { DeliveryJob } from "./webhooks.schema";

export type AttemptOutcome =
  /** The job was a duplicate or out of date: someone else made (or makes) this attempt. */
  | { kind: "stale" }
  | { kind: "succeeded"; delivery: WebhookDeliveryRow }
  | { kind: "failed"; delivery: WebhookDeliveryRow }
  /** Failed; the caller schedules `retry` at `delivery.next_attempt_at`. */
  | { kind: "retry"; delivery: WebhookDeliveryRow; retry: DeliveryJob; at: Date };

/**
 * Secrets opened lately, by sealed value and endpoint: a worker signs many deliveries to the same
 * endpoints, and opening (AES-GCM) each time cost as much as signing. A rotation seals a new
 * value, so a stale entry is never used; the oldest go first beyond the bound.
 */
const openedByKey = new WeakMap<Buffer, Map<string, string>>();
const OPENED_MAX = 1_000;

function openCached(key: Buffer, sealed: string, endpointId: string): string {
  let opened = openedByKey.get(key);
  if (!opened) {
    opened = new Map();
    openedByKey.set(key, opened);
  }
  const cacheKey = `${endpointId}|${sealed}`;
  let secret = opened.get(cacheKey);
  if (secret === undefined) {
    secret = open(key, sealed, endpointId);
    if (opened.size >= OPENED_MAX) opened.delete(opened.keys().next().value!);
    opened.set(cacheKey, secret);
  }
  return secret;
}

/** The current secret, and the previous one while it still signs after a rotation. */
export function signingSecrets(
  endpoint: Pick<WebhookEndpointRow, "id" | "secret_sealed" | "previous_secret_sealed" | "previous_secret_expires_at">,
  key: Buffer,
  now: Date,
): string[] {
  const secrets = [openCached(key, endpoint.secret_sealed, endpoint.id)];
  if (endpoint.previous_secret_sealed && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > now) {
    secrets.push(openCached(key, endpoint.previous_secret_sealed, endpoint.id));
  }
  return secrets;
}

/**
 * Makes one attempt of one delivery (docs/webhooks.md) and records it: claims the attempt, signs the
 * body with the endpoint's secrets, sends it through the address-guarded sender, logs the
 * attempt, then decides success, retry (schedule or Retry-After), or failure, and disables the
 * endpoint on 410 or after five days of continuous failure.
 */
export async function attemptDelivery(
  db: Db,
  settings: WebhookSettings,
  sender: WebhookSender,
  job: Pick<DeliveryJob, "deliveryId" | "attempt">,
  opts: {
    retry?: boolean;
    log?: DeliveryLog;
    /** Called once the request is over (answered, failed or refused), before the outcome is recorded. */
    sent?: () => void;
    /** The claim, when the caller asked for it ahead (see `DeliveryLog.claim`). */
    claimed?: Promise<ClaimedDelivery | undefined>;
  } = {},
): Promise<AttemptOutcome> {
  const claimed = await (opts.claimed ??
    (opts.log ? opts.log.claim(job.deliveryId, job.attempt) : claimAttempt(db, job.deliveryId, job.attempt, attemptLeaseMs(settings))));
  if (!claimed) return settleUnclaimed(db, job);
  const { delivery, endpoint } = claimed;

  const now = new Date();
  const body = deliveryBody(delivery, claimed.event);
  const refusal = body === null ? "the event of this delivery no longer exists" : tooLarge(body);
  const result: AttemptResult =
    refusal || body === null
      ? { statusCode: null, durationMs: 0, responseBody: null, retryAfter: undefined, error: refusal }
      : await sender.post(
          endpoint.url,
          { ...signMessage(signingSecrets(endpoint, settings.sealingKey, now), delivery.message_id, now, body) },
          body,
        );
  opts.sent?.();
  const attempt = {
    id: newId("att"),
    delivery_id: delivery.id,
    attempted_at: now,
    status_code: result.statusCode,
    duration_ms: result.durationMs,
    response_body: result.responseBody,
    error: result.error,
  };
  const code = result.statusCode;

  // The common case in one statement; failures below take a transaction.
  if (code !== null && code >= 200 && code < 300) {
    if (endpoint.failing_since) await clearEndpointFailures(db, endpoint.id);
    return { kind: "succeeded", delivery: await (opts.log ? opts.log.recordSuccess(attempt, code) : recordSuccess(db, attempt, code)) };
  }

  return db.transaction().execute(async (trx) => {
    await insertAttempt(trx, attempt);
    const last = { last_status: code, last_error: result.error ?? (code === null ? null : describeStatus(code)) };
    const fail = async () => ({
      kind: "failed" as const,
      delivery: await updateDeliveryRow(trx, delivery.id, { status: "failed", next_attempt_at: null, ...last }),
    });
    if (refusal) return fail();
    if (code === 410) {
      await disableEndpoint(trx, endpoint.id, "the receiver answered 410 Gone");
      return fail();
    }
    const failingSince = (await markEndpointFailing(trx, endpoint.id, now)) ?? now;
    if (now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS * settings.retryScale) {
      await disableEndpoint(trx, endpoint.id, `failing continuously since ${failingSince.toISOString()}`);
      return fail();
    }
    const retryAfter = code === 429 || code === 503 ? parseRetryAfter(result.retryAfter, now) : undefined;
    const delay = delivery.attempts >= MAX_ATTEMPTS ? null : (retryAfter ?? retryDelayMs(delivery.attempts, settings.retryScale));
    if (opts.retry === false || delay === null) return fail();
    const at = new Date(now.getTime() + delay);
    // The caller adds the retry as a delayed job as soon as this commits.
    const updated = await updateDeliveryRow(trx, delivery.id, {
      next_attempt_at: at,
      queued_until: new Date(at.getTime() + QUEUED_TRUST_MS),
      ...last,
    });
    return {
      kind: "retry",
      delivery: updated,
      at,
      retry: { deliveryId: delivery.id, endpointId: endpoint.id, attempt: delivery.attempts },
    };
  });
}

/**
 * A job that could not claim its attempt: a duplicate, out of date, or for a disabled endpoint.
 * The last case settles the delivery as failed, so that `recover` finds it after re-enabling.
 */
async function settleUnclaimed(db: Db, job: Pick<DeliveryJob, "deliveryId" | "attempt">): Promise<AttemptOutcome> {
  const current = await findDelivery(db, job.deliveryId);
  if (current?.status !== "pending" || current.attempts !== job.attempt) return { kind: "stale" };
  const endpoint = await findEndpoint(db, current.endpoint_id);
  if (!endpoint || endpoint.enabled) return { kind: "stale" };
  const delivery = await updateDeliveryRow(db, current.id, {
    status: "failed",
    next_attempt_at: null,
    last_error: "the endpoint is disabled; recover re-sends what it missed",
  });
  return { kind: "failed", delivery };
}

function describeStatus(code: number): string | null {
  if (code >= 300 && code < 400) return `the receiver answered ${code}; redirects are not followed`;
  return `the receiver answered ${code}`;
}

/** Disables an endpoint automatically and says so with a `webhook.endpoint.disabled` event. */
async function disableEndpoint(db: Db, endpointId: string, reason: string) {
  const locked = await findEndpoint(db, endpointId, { forUpdate: true });
  if (!locked?.enabled) return;
  const row = await updateEndpointRow(db, endpointId, { enabled: false, disabled_reason: reason });
  await insertEvent(db, {
    type: "webhook.endpoint.disabled",
    origin: systemOrigin("webhooks"),
    account: { id: row.account_id, path: row.account_path },
    data: toEndpoint(row),
  });
}
