import { createDb, sql } from "@canopy/db";
import { createTestDatabase, sequentialScansOf, type TestDatabase } from "@canopy/db/testing";
import type { Actor } from "@canopy/domain/identity";
import { bootstrapPlatform } from "@canopy/domain/identity";
import { childPath, insertEvent, sendEventWithCommit, systemOrigin } from "@canopy/domain/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markFirstAttemptsQueued } from "./deliveries.repository";
import { DeliveryLog } from "./delivery-log";
import { createEndpoint, disableEndpoint } from "./endpoints.service";
import { fanOutWithCommit, recipientsOf } from "./fanout";
import { webhookFanOut } from "./relay-fan-out";
import { webhookSettings } from "./settings";

let database: TestDatabase;
let provider: Actor;
const settings = webhookSettings({ allowPrivateUrls: true });

beforeAll(async () => {
  database = await createTestDatabase();
  const { providerId } = await bootstrapPlatform(database.db, {});
  const row = await database.db.selectFrom("accounts").selectAll().where("id", "=", providerId).executeTakeFirstOrThrow();
  provider = { kind: "apiKey", id: "key_test", accountId: row.id, accountPath: row.path, accountType: "provider", role: "admin" };
});
afterAll(() => database?.drop());

/** A reseller account row under the provider, and an actor for it. */
async function reseller(name: string): Promise<Actor> {
  const id = `acc_${name}${Date.now().toString(36)}`;
  const path = childPath(provider.accountPath, id);
  await database.db
    .insertInto("accounts")
    .values({
      id,
      type: "reseller",
      name,
      vendor_id: provider.accountId,
      path,
      contact: { email: `${name}@example.com` },
      address: { country: "DE" },
    })
    .execute();
  return { kind: "apiKey", id: `key_${name}`, accountId: id, accountPath: path, accountType: "reseller", role: "admin" };
}

const url = "http://127.0.0.1:9/hooks";

/**
 * The relay's fan-out of what is waiting (every test's events), as the worker runs it; `again`
 * writes the same batch a second time. Jobs of the events asked for, in the batch's order.
 */
async function relayFanOut(eventIds: string[], opts: { again?: boolean } = {}) {
  const relay = webhookFanOut(async () => []);
  const [first, again] = await database.db.transaction().execute(async (trx) => {
    const batch = await relay.take(trx, 1000);
    return [await relay.write(trx, batch), opts.again ? await relay.write(trx, batch) : []];
  });
  const mine = new Set(eventIds);
  const eventOf = new Map(
    (await database.db.selectFrom("webhook_deliveries").select(["id", "event_id"]).where("event_id", "in", eventIds).execute()).map((r) => [
      r.id,
      r.event_id,
    ]),
  );
  const of = (jobs: typeof first) => jobs.filter((j) => mine.has(eventOf.get(j.deliveryId) ?? ""));
  return { jobs: of(first), again: of(again) };
}

describe("webhook fan-out", () => {
  it("sends a transaction's own events' deliveries with its commit, to the endpoints read ahead, and leaves the rest to the relay", async () => {
    const a = await reseller("h");
    const b = await reseller("i");
    const mine = await createEndpoint(database.db, a, settings, { url, eventTypes: ["account.updated"] });
    await createEndpoint(database.db, a, settings, { url, eventTypes: ["order.created"] });
    const disabledSince = await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    const sibling = await createEndpoint(database.db, b, settings, { url, eventTypes: [] });
    const recipients = await recipientsOf(database.db, a.accountPath);
    await disableEndpoint(database.db, a, { id: disabledSince.endpoint.id });
    const createdSince = await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    const about = (actor: Actor) => ({ id: actor.accountId, path: actor.accountPath });

    const [written, answered] = await database.db.transaction().execute(async (trx) => {
      const events = [
        await sendEventWithCommit(trx, { type: "account.updated", origin: systemOrigin("test"), account: about(a), data: { n: 1 } }),
        await sendEventWithCommit(trx, {
          type: "account.updated",
          origin: systemOrigin("test"),
          account: about(a),
          data: { blob: "x".repeat(257 * 1024) },
        }),
        await sendEventWithCommit(trx, { type: "account.updated", origin: systemOrigin("test"), account: about(b), data: { n: 2 } }),
      ];
      return [events, (await fanOutWithCommit(trx, events, recipients, { queuedForMs: 60_000 })).written] as const;
    });
    const jobs = (await answered).map((w) => w.job);
    const [small, big, elsewhere] = written.map((e) => e.id) as [string, string, string];
    const rowsOf = (eventId: string) =>
      database.db.selectFrom("webhook_deliveries").selectAll().where("event_id", "=", eventId).orderBy("endpoint_id").execute();
    // Read ahead: the provider's endpoints (earlier tests made some) and a's of that type, less
    // the one disabled since; nothing for the large event or b's, nothing for the new endpoint.
    const expected = recipients.endpoints
      .filter((w) => w.id !== disabledSince.endpoint.id && (w.event_types.length === 0 || w.event_types.includes("account.updated")))
      .map((w) => w.id);
    expect(expected).toContain(mine.endpoint.id);
    expect(jobs.map((j) => j.endpointId)).toEqual(expected);
    expect((await answered).every((w) => w.claimed === undefined)).toBe(true);
    const rows = await rowsOf(small);
    expect(rows.map((r) => r.id)).toEqual(jobs.map((j) => j.deliveryId).sort());
    expect(rows.every((r) => r.status === "pending" && r.message_id === small && r.queued_until !== null)).toBe(true);
    expect(await rowsOf(big)).toEqual([]);
    expect(await rowsOf(elsewhere)).toEqual([]);

    // The relay then adds what was left out, and nothing twice.
    const relayed = await relayFanOut([small, big, elsewhere]);
    const smallRows = await rowsOf(small);
    expect(smallRows.map((r) => r.endpoint_id).sort()).toEqual([...expected, createdSince.endpoint.id].sort());
    const relayedSmall = relayed.jobs.filter((j) => smallRows.some((r) => r.id === j.deliveryId));
    expect(relayedSmall.map((j) => j.endpointId)).toEqual([createdSince.endpoint.id]);
    expect((await rowsOf(big)).every((r) => r.status === "failed")).toBe(true);
    expect((await rowsOf(elsewhere)).map((r) => r.endpoint_id)).toContain(sibling.endpoint.id);
  });

  it("writes the first delivery to an endpoint whose slot is held already claimed, with what its attempt needs", async () => {
    const a = await reseller("k");
    const held = await createEndpoint(database.db, a, settings, { url: `${url}/held`, eventTypes: [] });
    const other = await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    const recipients = await recipientsOf(database.db, a.accountPath);
    const about = { id: a.accountId, path: a.accountPath };
    const answered = await database.db.transaction().execute(async (trx) => {
      const events = [
        await sendEventWithCommit(trx, { type: "account.updated", origin: systemOrigin("test"), account: about, data: { n: 1 } }),
        await sendEventWithCommit(trx, { type: "account.updated", origin: systemOrigin("test"), account: about, data: { n: 2 } }),
      ];
      const claimFor = { endpointIds: new Set([held.endpoint.id]), leaseMs: 60_000 };
      return (await fanOutWithCommit(trx, events, recipients, { queuedForMs: 60_000, claimFor })).written;
    });
    const written = (await answered).filter((w) => [held.endpoint.id, other.endpoint.id].includes(w.job.endpointId));
    expect(written).toHaveLength(4);
    // Only the first delivery to the held endpoint is claimed; the second waits in its lane.
    const [claimed, ...rest] = written.filter((w) => w.job.endpointId === held.endpoint.id);
    expect(rest.map((w) => w.claimed)).toEqual([undefined]);
    expect(written.filter((w) => w.job.endpointId === other.endpoint.id).every((w) => w.claimed === undefined)).toBe(true);
    expect(claimed?.claimed).toMatchObject({
      delivery: { id: claimed?.job.deliveryId, attempts: 1, queued_until: null, status: "pending" },
      endpoint: { id: held.endpoint.id, url: `${url}/held` },
      event: { type: "account.updated", data: { n: 1 } },
    });
    const row = claimed?.claimed?.delivery;
    expect(row?.next_attempt_at?.getTime()).toBeGreaterThan(Date.now() + 50_000);
    // Claimed: a duplicate job for its first attempt loses, as it would to any claim.
    const log = new DeliveryLog(database.db, settings);
    expect(await log.claim(claimed!.job.deliveryId, 0)).toBeUndefined();
    expect(await log.claim(rest[0]!.job.deliveryId, 0)).toBeDefined();
  });

  it("writes none of a transaction's deliveries when it fails after sending them", async () => {
    const a = await reseller("j");
    await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    const recipients = await recipientsOf(database.db, a.accountPath);
    let eventId = "";
    await expect(
      database.db.transaction().execute(async (trx) => {
        const event = await sendEventWithCommit(trx, {
          type: "account.updated",
          origin: systemOrigin("test"),
          account: { id: a.accountId, path: a.accountPath },
          data: {},
        });
        eventId = event.id;
        await fanOutWithCommit(trx, [event], recipients);
        await sql`select 1/0`.execute(trx);
      }),
    ).rejects.toThrow(/division by zero/);
    expect(await database.db.selectFrom("events").select("id").where("id", "=", eventId).execute()).toEqual([]);
    expect(await database.db.selectFrom("webhook_deliveries").select("id").where("event_id", "=", eventId).execute()).toEqual([]);
  });

  it("creates one delivery per endpoint above the account, once however often it runs", async () => {
    const a = await reseller("a");
    const b = await reseller("b");
    const mine = await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    const top = await createEndpoint(database.db, provider, settings, { url, eventTypes: ["account.updated"] });
    const otherType = await createEndpoint(database.db, a, settings, { url, eventTypes: ["order.created"] });
    const disabled = await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    await disableEndpoint(database.db, a, { id: disabled.endpoint.id });
    const sibling = await createEndpoint(database.db, b, settings, { url, eventTypes: [] });

    const event = await insertEvent(database.db, {
      type: "account.updated",
      origin: systemOrigin("test"),
      account: { id: a.accountId, path: a.accountPath },
      data: { id: a.accountId },
    });
    const later = await createEndpoint(database.db, a, settings, { url, eventTypes: [] });

    const { jobs: first, again } = await relayFanOut([event.id], { again: true });
    expect(first.map((j) => j.endpointId).sort()).toEqual([mine.endpoint.id, top.endpoint.id].sort());
    // A repeat writes nothing twice (rows are unique per endpoint and event) and enqueues nothing new.
    expect(again).toEqual([]);
    expect(first.every((j) => j.attempt === 0)).toBe(true);

    const rows = await database.db.selectFrom("webhook_deliveries").selectAll().where("event_id", "=", event.id).execute();
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.message_id === event.id && r.status === "pending")).toBe(true);
    for (const skipped of [otherType, disabled, sibling, later]) expect(rows.map((r) => r.endpoint_id)).not.toContain(skipped.endpoint.id);
  });

  it("records an event too large to send as a failed delivery with the reason, and enqueues nothing", async () => {
    const a = await reseller("c");
    await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    const event = await insertEvent(database.db, {
      type: "account.updated",
      origin: systemOrigin("test"),
      account: { id: a.accountId, path: a.accountPath },
      data: { id: a.accountId, blob: "x".repeat(257 * 1024) },
    });
    expect((await relayFanOut([event.id])).jobs).toEqual([]);
    const [row] = await database.db.selectFrom("webhook_deliveries").selectAll().where("event_id", "=", event.id).execute();
    expect(row).toMatchObject({ status: "failed", attempts: 0, next_attempt_at: null });
    expect(row?.last_error).toMatch(/over the 262144 bytes \(256 KiB\)/);
  });

  it("fans a batch of events out in one go, by the same rules, in the batch's order, left to the sweep until marked queued", async () => {
    const a = await reseller("d");
    const b = await reseller("e");
    const mine = await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    const top = await createEndpoint(database.db, provider, settings, { url, eventTypes: ["account.updated"] });
    await createEndpoint(database.db, a, settings, { url, eventTypes: ["order.created"] });
    const first = await insertEvent(database.db, {
      type: "account.updated",
      origin: systemOrigin("test"),
      account: { id: a.accountId, path: a.accountPath },
      data: { id: a.accountId },
    });
    const big = await insertEvent(database.db, {
      type: "account.updated",
      origin: systemOrigin("test"),
      account: { id: a.accountId, path: a.accountPath },
      data: { id: a.accountId, blob: "x".repeat(257 * 1024) },
    });
    const elsewhere = await insertEvent(database.db, {
      type: "account.updated",
      origin: systemOrigin("test"),
      account: { id: b.accountId, path: b.accountPath },
      data: { id: b.accountId },
    });

    const { jobs } = await relayFanOut([first.id, big.id, elsewhere.id]);
    const rowOf = async (id: string) =>
      database.db.selectFrom("webhook_deliveries").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    const events = await Promise.all(jobs.map(async (j) => (await rowOf(j.deliveryId)).event_id));
    // In the batch's order; the oversized event is recorded as failed and enqueued nowhere;
    // b's event goes to the provider's endpoints only (earlier tests made some too).
    expect(events).toEqual([...events.filter((e) => e === first.id), ...events.filter((e) => e === elsewhere.id)]);
    const to = (eventId: string) => jobs.filter((_, i) => events[i] === eventId).map((j) => j.endpointId);
    expect(to(first.id)).toEqual(expect.arrayContaining([mine.endpoint.id, top.endpoint.id]));
    expect(to(elsewhere.id)).toContain(top.endpoint.id);
    expect(to(elsewhere.id)).not.toContain(mine.endpoint.id);
    expect(to(first.id).length).toBe(to(elsewhere.id).length + 1);
    const failed = await database.db.selectFrom("webhook_deliveries").selectAll().where("event_id", "=", big.id).execute();
    expect(failed.length).toBe(to(first.id).length);
    expect(failed.every((r) => r.status === "failed")).toBe(true);
    expect((await rowOf(jobs[0]!.deliveryId)).queued_until).toBeNull();

    await markFirstAttemptsQueued(
      database.db,
      jobs.map((j) => j.deliveryId),
    );
    expect((await rowOf(jobs[0]!.deliveryId)).queued_until).not.toBeNull();
    // Events relayed once: nothing new to enqueue.
    expect((await relayFanOut([first.id, elsewhere.id])).jobs).toEqual([]);
  });

  it("grants an attempt to one of several concurrent claims, and logs successes of many deliveries together", async () => {
    const a = await reseller("f");
    const { endpoint } = await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    const events = await Promise.all(
      [1, 2, 3].map((n) =>
        insertEvent(database.db, {
          type: "account.updated",
          origin: systemOrigin("test"),
          account: { id: a.accountId, path: a.accountPath },
          data: { id: a.accountId, n },
        }),
      ),
    );
    const jobs = (await relayFanOut(events.map((e) => e.id))).jobs.filter((j) => j.endpointId === endpoint.id);
    expect(jobs).toHaveLength(3);
    const log = new DeliveryLog(database.db, settings);
    // Each delivery asked twice at once (a duplicate job): exactly one claim wins each.
    const claims = await Promise.all(jobs.flatMap((j) => [log.claim(j.deliveryId, 0), log.claim(j.deliveryId, 0)]));
    expect(claims.filter(Boolean)).toHaveLength(3);
    expect(new Set(claims.filter(Boolean).map((c) => c!.delivery.id)).size).toBe(3);
    expect(await log.claim(jobs[0]!.deliveryId, 0)).toBeUndefined();

    const now = new Date();
    const rows = await Promise.all(
      jobs.map((j, i) =>
        log.recordSuccess(
          {
            id: `att_test${i}${Date.now()}`,
            delivery_id: j.deliveryId,
            attempted_at: now,
            status_code: 204,
            duration_ms: 1,
            response_body: "",
            error: null,
          },
          204,
        ),
      ),
    );
    expect(rows.map((r) => [r.id, r.status, r.attempts, r.last_status])).toEqual(jobs.map((j) => [j.deliveryId, "succeeded", 1, 204]));
    const attempts = await database.db
      .selectFrom("webhook_delivery_attempts")
      .selectAll()
      .where(
        "delivery_id",
        "in",
        jobs.map((j) => j.deliveryId),
      )
      .execute();
    expect(attempts).toHaveLength(3);
  });

  it("commits claims and successes without the disk wait, and leaves the session's setting alone", async () => {
    const a = await reseller("g");
    await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    const event = await insertEvent(database.db, {
      type: "account.updated",
      origin: systemOrigin("test"),
      account: { id: a.accountId, path: a.accountPath },
      data: { id: a.accountId },
    });
    const [job] = (await relayFanOut([event.id])).jobs;
    // One pooled connection: the statements below and the check run in the same session.
    const single = createDb({ connectionString: database.url, max: 1 });
    try {
      const log = new DeliveryLog(single, settings);
      expect(await log.claim(job!.deliveryId, 0)).toBeDefined();
      const attempt = {
        id: `att_g${Date.now()}`,
        delivery_id: job!.deliveryId,
        attempted_at: new Date(),
        status_code: 204,
        duration_ms: 1,
        response_body: "",
        error: null,
      };
      expect((await log.recordSuccess(attempt, 204)).status).toBe("succeeded");
      const { rows } = await sql<{ setting: string }>`select current_setting('synchronous_commit') as setting`.execute(single);
      expect(rows[0]?.setting).toBe("on");
    } finally {
      await single.destroy();
    }
  });
  it("reaches each relayed event's endpoints through their account index, not a scan of every endpoint", async () => {
    const a = await reseller("scan");
    await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    await database.db.transaction().execute((trx) =>
      sendEventWithCommit(trx, {
        type: "account.updated",
        origin: systemOrigin("test"),
        account: { id: a.accountId, path: a.accountPath },
        data: { n: 1 },
      }),
    );
    let taken = 0;
    const scans = await sequentialScansOf(database.db, "webhook_endpoints", async (trx) => {
      taken = (await webhookFanOut(async () => []).take(trx, 1000)).length;
    });
    expect(taken).toBeGreaterThan(0);
    expect(scans).toBe(0);
  });
});
