import { createTestDatabase, sequentialScansOf, type TestDatabase } from "@canopy/db/testing";
import { bootstrapPlatform } from "@canopy/domain/identity";
import { childPath } from "@canopy/domain/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAccountChain } from "../orders/orders.repository";
import { pathStatusesOfOrder } from "./provisioning.repository";

// The reads every order makes of the accounts above it go through the accounts' primary key:
// at 10M accounts a scan of the table per order would be the whole cost of provisioning.

let database: TestDatabase;
const ids = { reseller: "acc_planreseller", customer: "acc_plancustomer", order: "ord_plan" };

beforeAll(async () => {
  database = await createTestDatabase();
  const { providerId } = await bootstrapPlatform(database.db, {});
  const { path: providerPath } = await database.db
    .selectFrom("accounts")
    .select("path")
    .where("id", "=", providerId)
    .executeTakeFirstOrThrow();
  const resellerPath = childPath(providerPath, ids.reseller);
  const customerPath = childPath(resellerPath, ids.customer);
  const account = (id: string, type: "reseller" | "customer", vendor: string, path: string) => ({
    id,
    type,
    name: id,
    vendor_id: vendor,
    path,
    contact: { email: `${id}@example.com` },
    address: { country: "DE" },
  });
  await database.db
    .insertInto("accounts")
    .values([account(ids.reseller, "reseller", providerId, resellerPath), account(ids.customer, "customer", ids.reseller, customerPath)])
    .execute();
  await database.db
    .insertInto("orders")
    .values({
      id: ids.order,
      account_id: ids.customer,
      account_path: customerPath,
      type: "sales",
      total_amount: 0,
      currency: "EUR",
      idempotency_key: null,
      request_hash: "plan",
      placed_by: "key_plan",
      error_message: null,
      subscription_id: null,
    })
    .execute();
});
afterAll(() => database?.drop());

describe("reads of the accounts on an order's path", () => {
  it("take the statuses of an order's accounts through the primary key", async () => {
    let statuses: string[] = [];
    const scans = await sequentialScansOf(database.db, "accounts", async (trx) => {
      statuses = await pathStatusesOfOrder(trx, ids.order);
    });
    expect(statuses).toEqual(["active", "active", "active"]);
    expect(scans).toBe(0);
  });

  it("load an account's chain of vendors through the primary key", async () => {
    let chain: { id: string }[] = [];
    const scans = await sequentialScansOf(database.db, "accounts", async (trx) => {
      chain = await loadAccountChain(trx, ids.customer, { lock: false });
    });
    expect(chain.map((a) => a.id).sort()).toEqual([ids.customer, ids.reseller].sort());
    expect(scans).toBe(0);
  });
});
