import { createTestDatabase, type TestDatabase } from "@canopy/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { insertEvent } from "../events/events.repository";
import { bootstrapPlatform } from "../platform/bootstrap";
import { childPath } from "../shared/subtree";
import { createEndpoint, disableEndpoint } from "./endpoints.service";
import { fanOutEvent } from "./fanout";
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
    .values({ id, type: "reseller", name, vendor_id: provider.accountId, path, contact: { email: `${name}@example.com` }, address: { country: "DE" } })
    .execute();
  return { kind: "apiKey", id: `key_${name}`, accountId: id, accountPath: path, accountType: "reseller", role: "admin" };
}

const url = "http://127.0.0.1:9/hooks";

describe("webhook fan-out", () => {
  it("creates one delivery per endpoint above the account, once however often it runs", async () => {
    const a = await reseller("a");
    const b = await reseller("b");
    const mine = await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    const top = await createEndpoint(database.db, provider, settings, { url, eventTypes: ["account.updated"] });
    const otherType = await createEndpoint(database.db, a, settings, { url, eventTypes: ["order.created"] });
    const disabled = await createEndpoint(database.db, a, settings, { url, eventTypes: [] });
    await disableEndpoint(database.db, a, { id: disabled.endpoint.id });
    const sibling = await createEndpoint(database.db, b, settings, { url, eventTypes: [] });

    const event = await insertEvent(database.db, { type: "account.updated", account: { id: a.accountId, path: a.accountPath }, data: { id: a.accountId } });
    const later = await createEndpoint(database.db, a, settings, { url, eventTypes: [] });

    const first = await fanOutEvent(database.db, event.id);
    const again = await fanOutEvent(database.db, event.id);
    expect(first.map((j) => j.endpointId).sort()).toEqual([mine.endpoint.id, top.endpoint.id].sort());
    expect(again).toEqual(first);
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
      account: { id: a.accountId, path: a.accountPath },
      data: { id: a.accountId, blob: "x".repeat(257 * 1024) },
    });
    expect(await fanOutEvent(database.db, event.id)).toEqual([]);
    const [row] = await database.db.selectFrom("webhook_deliveries").selectAll().where("event_id", "=", event.id).execute();
    expect(row).toMatchObject({ status: "failed", attempts: 0, next_attempt_at: null });
    expect(row?.last_error).toMatch(/over the 262144 bytes \(256 KiB\)/);
  });
});
