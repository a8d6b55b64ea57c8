import { sql } from "@canopy/db";
import { createTestDatabase, type TestDatabase } from "@canopy/db/testing";
import { type Actor, bootstrapPlatform } from "@canopy/domain/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProductsListInput } from "./products.schema";
import { createProduct, listProducts, publishProduct, updateProductDetails } from "./products.service";

// Product search against a real database (docs/catalog.md#search): the term index the triggers
// keep, the walk in MPN order, the MPN-fragment and "anywhere" rules, paging and visibility.

let database: TestDatabase;
let provider: Actor;
const customer: Actor = {
  kind: "apiKey",
  id: "key_customer",
  role: "admin",
  accountId: "acc_customer",
  accountPath: "acc_customer.",
  accountType: "customer",
};

beforeAll(async () => {
  database = await createTestDatabase();
  const { providerId } = await bootstrapPlatform(database.db, {});
  const row = await database.db.selectFrom("accounts").selectAll().where("id", "=", providerId).executeTakeFirstOrThrow();
  provider = { kind: "apiKey", id: "key_test", accountId: row.id, accountPath: row.path, accountType: "provider", role: "admin" };
});
afterAll(() => database?.drop());

let isvCount = 0;
/** Products of an ISV of their own (so tests do not see each other's), published unless `draft`. */
async function catalog(products: { mpn: string; name: string; draft?: boolean }[]) {
  const isvName = `Isv ${++isvCount} ${Date.now()}`;
  const made = [];
  for (const p of products) {
    const created = await createProduct(database.db, provider, {
      mpn: p.mpn,
      name: p.name,
      isvName,
      connector: "demo",
      unit: "license",
      billingPeriod: "month",
      billingModel: "license",
      minQuantity: 1,
      maxQuantity: 10,
      msrp: { amount: 100, currency: "EUR" },
    });
    made.push(p.draft ? created : await publishProduct(database.db, provider, created.id));
  }
  return { isvName, made };
}

const mpnsOf = async (actor: Actor, input: Partial<ProductsListInput>) =>
  (await listProducts(database.db, actor, { limit: 50, ...input })).items.map((p) => p.mpn);

/** The terms the triggers wrote, against the terms recomputed from the products as they are now. */
async function termsDrift() {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from (
      (select term, mpn from product_search_terms
        except select t, p.mpn from products p, product_search_terms_of(p.name, p.mpn) t)
      union all
      (select t, p.mpn from products p, product_search_terms_of(p.name, p.mpn) t
        except select term, mpn from product_search_terms)) d`.execute(database.db);
  return rows[0]!.n;
}

describe("product search", () => {
  it("matches every word as the beginning of a word of the name or MPN part, in any order and case", async () => {
    const { isvName } = await catalog([
      { mpn: "SRCH1-VP-1", name: "Cloud Vault Premium" },
      { mpn: "SRCH1-V-2", name: "Cloud Vault Basic" },
      { mpn: "SRCH1-P-3", name: "Premium Drive" },
      { mpn: "SRCH1-AV-4", name: "Autovault Premium" },
    ]);
    expect(await mpnsOf(customer, { isvName, q: "vault premium" })).toEqual(["SRCH1-VP-1"]);
    expect(await mpnsOf(customer, { isvName, q: "PREMIUM   vault" })).toEqual(["SRCH1-VP-1"]);
    expect(await mpnsOf(customer, { isvName, q: "vau prem" })).toEqual(["SRCH1-VP-1"]); // prefixes
    expect(await mpnsOf(customer, { isvName, q: "cloud" })).toEqual(["SRCH1-V-2", "SRCH1-VP-1"]);
    // A word inside a word of the name is not a match ("vault" inside "Autovault")…
    expect(await mpnsOf(customer, { isvName, q: "vault" })).toEqual(["SRCH1-V-2", "SRCH1-VP-1"]);
    expect(await mpnsOf(customer, { isvName, q: "ault" })).toEqual([]);
    // …but a beginning of an MPN part is, alone or with name words.
    expect(await mpnsOf(customer, { isvName, q: "srch1 av" })).toEqual(["SRCH1-AV-4"]);
    expect(await mpnsOf(customer, { isvName, q: "quantum vault" })).toEqual([]);
  });

  it("finds MPN fragments inside a part, across separators and with other characters", async () => {
    // "9d5e" begins a part of the second MPN and is inside a part of the first: both match.
    const { isvName } = await catalog([
      { mpn: "KAS-A9D5E1-7", name: "Endpoint Security" },
      { mpn: "KAS-9D5EFF-8", name: "Endpoint Security Plus" },
      { mpn: "ACR-B00B-9", name: "Backup 100% Cloud" },
    ]);
    expect(await mpnsOf(customer, { isvName, q: "9d5e" })).toEqual(["KAS-9D5EFF-8", "KAS-A9D5E1-7"]);
    expect(await mpnsOf(customer, { isvName, q: "d5e1" })).toEqual(["KAS-A9D5E1-7"]);
    expect(await mpnsOf(customer, { isvName, q: "endpoint d5e1" })).toEqual(["KAS-A9D5E1-7"]);
    expect(await mpnsOf(customer, { isvName, q: "plus 9d5e" })).toEqual(["KAS-9D5EFF-8"]);
    // Two characters are a beginning only, whatever the other words are.
    expect(await mpnsOf(customer, { isvName, q: "endpoint 9d" })).toEqual(["KAS-9D5EFF-8"]);
    expect(await mpnsOf(customer, { isvName, q: "d5e1 9d" })).toEqual([]);
    expect(await mpnsOf(customer, { isvName, q: "kas-a9d" })).toEqual(["KAS-A9D5E1-7"]); // across the '-'
    expect(await mpnsOf(customer, { isvName, q: "kas-" })).toEqual(["KAS-9D5EFF-8", "KAS-A9D5E1-7"]);
    expect(await mpnsOf(customer, { isvName, q: "0% cloud" })).toEqual(["ACR-B00B-9"]); // other characters: anywhere
    expect(await mpnsOf(customer, { isvName, q: "security e" })).toEqual(["KAS-9D5EFF-8", "KAS-A9D5E1-7"]); // one letter: anywhere
  });

  it("pages by cursor through the same MPN-ordered results as the substring rule, drafts left out", async () => {
    // 30 matching products interleaved with drafts and non-matching ones, created out of order.
    const spec = [];
    for (let i = 0; i < 60; i++) {
      const n = (i * 37) % 60;
      const mpn = `PAGE-${String(n).padStart(3, "0")}`;
      if (n % 4 === 1) spec.push({ mpn, name: "Team Vault Premium", draft: true });
      else if (n % 4 === 3) spec.push({ mpn, name: "Team Drive Premium" });
      else spec.push({ mpn, name: n % 2 === 0 ? "Team Vault Premium" : "Premium Team Vault" });
    }
    const { isvName } = await catalog(spec);
    // What the substring rule (every word inside the lower-cased "name mpn") listed, in the
    // database's MPN order: here the words are whole words, so both rules agree.
    const expected = (
      await sql<{ mpn: string }>`select mpn from products
        where isv_name = ${isvName} and status in ('published', 'retired')
          and lower(name || ' ' || mpn) like '%premium%' and lower(name || ' ' || mpn) like '%vault%'
        order by mpn`.execute(database.db)
    ).rows.map((r) => r.mpn);
    expect(expected).toHaveLength(30);

    for (const q of ["premium vault", "vault", "vault team premium"]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await listProducts(database.db, customer, { isvName, q, limit: 7, cursor });
        seen.push(...page.items.map((p) => p.mpn));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(seen).toEqual(expected);
      expect(pages).toBe(5); // 7 + 7 + 7 + 7 + 2: every page full until the last
    }
    // The provider also sees the drafts.
    expect(await mpnsOf(provider, { isvName, q: "vault premium", limit: 100 })).toHaveLength(45);
  });

  it("keeps reach and filters: drafts for the provider only, status, exact MPN and ISV", async () => {
    const { isvName, made } = await catalog([
      { mpn: "VIS-1", name: "Secure Mail", draft: true },
      { mpn: "VIS-2", name: "Secure Mail Archive" },
      { mpn: "VIS-3", name: "Secure Mail Gateway" },
    ]);
    expect(await mpnsOf(customer, { isvName, q: "secure mail" })).toEqual(["VIS-2", "VIS-3"]);
    expect(await mpnsOf(provider, { isvName, q: "secure mail" })).toEqual(["VIS-1", "VIS-2", "VIS-3"]);
    expect(await mpnsOf(provider, { isvName, q: "secure mail", status: "draft" })).toEqual(["VIS-1"]);
    expect(await mpnsOf(customer, { isvName, q: "secure mail", status: "draft" })).toEqual([]);
    expect(await mpnsOf(customer, { q: "secure mail", mpn: "VIS-3" })).toEqual(["VIS-3"]);
    expect(await mpnsOf(customer, { isvName: "Nobody", q: "secure mail" })).toEqual([]);
    const page = await listProducts(database.db, customer, { isvName, q: "mail", limit: 1 });
    expect(page.items.map((p) => p.connectorConfig)).toEqual([null]);
    expect(made).toHaveLength(3);
  });

  it("finds renamed products under the new name only, and keeps the terms in step with every write", async () => {
    const { isvName, made } = await catalog([{ mpn: "REN-1", name: "Cloud Vault" }]);
    await updateProductDetails(database.db, provider, { id: made[0]!.id, name: "Team Drive" });
    expect(await mpnsOf(customer, { isvName, q: "vault" })).toEqual([]);
    expect(await mpnsOf(customer, { isvName, q: "team drive" })).toEqual(["REN-1"]);
    await updateProductDetails(database.db, provider, { id: made[0]!.id, maxQuantity: 20 }); // name unchanged
    expect(await mpnsOf(customer, { isvName, q: "drive" })).toEqual(["REN-1"]);

    // Writes the API does not make, straight in SQL: several rows in one statement, an MPN
    // change, a delete.
    await sql`insert into products (id, mpn, name, isv_name, connector, unit, billing_period, min_quantity, max_quantity,
        msrp_amount, msrp_currency, status)
      select 'prd_bulk' || i, 'BULK-' || i, 'Bulk Item ' || i, ${isvName}, 'demo', 'license', 'month', 1, 10, 100, 'EUR', 'published'
      from generate_series(1, 5) i`.execute(database.db);
    expect(await mpnsOf(customer, { isvName, q: "bulk item" })).toEqual(["BULK-1", "BULK-2", "BULK-3", "BULK-4", "BULK-5"]);
    await sql`update products set mpn = 'BULK-X9' where id = 'prd_bulk1'`.execute(database.db);
    await sql`delete from products where id = 'prd_bulk2'`.execute(database.db);
    expect(await mpnsOf(customer, { isvName, q: "bulk item" })).toEqual(["BULK-3", "BULK-4", "BULK-5", "BULK-X9"]);
    expect(await mpnsOf(customer, { isvName, q: "bulk x9" })).toEqual(["BULK-X9"]);
    expect(await termsDrift()).toBe(0);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from product_search_terms where mpn = 'BULK-1'`.execute(
      database.db,
    );
    expect(rows[0]!.n).toBe(0);
  });
});
