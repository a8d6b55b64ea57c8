import { provision, publishedProduct } from "@canopy/api/testing";
import { rateCompletedOrder } from "@canopy/domain/billing";
import { validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./harness";

let api: Api;
let reseller: Awaited<ReturnType<Api["account"]>>;
let mpn: string;
beforeAll(async () => {
  api = await startApi();
  reseller = await api.account("reseller");
  mpn = (await publishedProduct(api)).mpn;
});
afterAll(() => api?.close());

/** A REST call as curl would make it: JSON in, JSON out, the reseller's API key unless told otherwise. */
async function rest(
  method: string,
  path: string,
  opts: { body?: unknown; rawBody?: string; headers?: Record<string, string>; key?: string | null } = {},
) {
  const headers: Record<string, string> = { ...opts.headers };
  const key = opts.key === undefined ? reseller.key : opts.key;
  if (key) headers.authorization = `Bearer ${key}`;
  if (opts.body !== undefined) headers["content-type"] ??= "application/json";
  const response = await fetch(`${api.url}/api/v1${path}`, {
    method,
    headers,
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: the tests read the answers field by field
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as any };
}

const newCustomer = () => ({
  type: "customer",
  name: `Customer ${api.unique()}`,
  contact: { email: `${api.unique()}@example.com` },
  address: { country: "DE" },
});

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 and describes every REST operation", async () => {
    const { status, body } = await rest("GET", "/openapi.json", { key: null });
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\.1\./);
    const result = await validate(structuredClone(body));
    expect(result.valid, JSON.stringify(result)).toBe(true);
    // The validator does refuse a broken document (an operation with a parameter of no schema or content).
    const broken = structuredClone(body);
    broken.paths["/orders/{id}"].get.parameters = [{ name: "id", in: "path" }];
    expect((await validate(broken)).valid).toBe(false);
    const operations = Object.values(body.paths as Record<string, object>).flatMap((item) => Object.keys(item));
    expect(operations.length).toBeGreaterThanOrEqual(55);
    expect(body.paths["/subscriptions/{id}/suspend"].post).toBeDefined();
    expect(body.paths["/orders"].post.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: "header", name: "Idempotency-Key" })]),
    );
    expect(body.paths["/orders/{id}"].get.responses["404"].content["application/json"].schema.$ref).toBe("#/components/schemas/Error");
  });
});

describe("REST", () => {
  it("runs the reseller flow: create a customer, place an order once per Idempotency-Key, get it, list subscriptions", async () => {
    const customer = await rest("POST", "/accounts", { body: newCustomer(), headers: { "x-request-id": "flow-1" } });
    expect(customer.status).toBe(200);
    expect(customer.headers.get("x-request-id")).toBe("flow-1");
    const order = { accountId: customer.body.id, items: [{ mpn, quantity: 3 }] };
    const key = `order-${api.unique()}`;
    const placed = await rest("POST", "/orders", { body: order, headers: { "idempotency-key": key } });
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({ accountId: customer.body.id, status: "submitted", idempotencyKey: key });
    const again = await rest("POST", "/orders", { body: order, headers: { "idempotency-key": key } });
    expect(again.body.id).toBe(placed.body.id);
    // The same key through tRPC is the same order: one idempotency, two front doors.
    expect((await reseller.client.orders.place.mutate({ ...order, idempotencyKey: key })).id).toBe(placed.body.id);

    const got = await rest("GET", `/orders/${placed.body.id}`);
    expect(got.body).toEqual(placed.body);
    const first = await rest("GET", `/subscriptions?accountId=${customer.body.id}&limit=1`);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0]).toMatchObject({ mpn, quantity: 3 });
    expect(first.body.nextCursor).toBeNull();
  });

  it("pages lists with ?limit=&cursor= as {items, nextCursor}", async () => {
    for (let i = 0; i < 3; i++) await rest("POST", "/accounts", { body: newCustomer() });
    const one = await rest("GET", "/accounts?limit=2");
    expect(one.body.items).toHaveLength(2);
    const two = await rest("GET", `/accounts?limit=2&cursor=${encodeURIComponent(one.body.nextCursor)}`);
    expect(two.body.items.length).toBeGreaterThan(0);
    expect(two.body.items.map((a: { id: string }) => a.id)).not.toContain(one.body.items[0].id);
  });

  it("serves actions, updates and filters on resource paths", async () => {
    const customer = await rest("POST", "/accounts", { body: newCustomer() });
    const renamed = await rest("PATCH", `/accounts/${customer.body.id}`, { body: { version: 1, name: "Renamed GmbH" } });
    expect(renamed.body).toMatchObject({ name: "Renamed GmbH", version: 2 });
    const held = await rest("POST", `/accounts/${customer.body.id}/status`, { body: { status: "creditHold" } });
    expect(held.body.status).toBe("creditHold");
    expect((await rest("GET", `/products/lookup?mpn=${encodeURIComponent(mpn)}`)).body.mpn).toBe(mpn);
    const failed = await rest("GET", "/webhooks/deliveries?status=failed");
    expect(failed.status).toBe(200);
    expect(failed.body).toEqual({ items: [], nextCursor: null });
  });

  it("answers every error in one shape with the status of its code", async () => {
    const bad = await rest("POST", "/accounts", {
      body: { ...newCustomer(), contact: { email: "nope" } },
      headers: { "x-request-id": "bad-1" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      code: "BAD_REQUEST",
      message: "contact.email: invalid email address",
      fieldErrors: { "contact.email": ["invalid email address"] },
      requestId: "bad-1",
    });
    const item = await rest("POST", "/orders", { body: { items: [{ mpn, quantity: 0 }] } });
    expect(item.body.fieldErrors).toEqual({ "items.0.quantity": ["too small: expected number to be >=1"] });

    const shapeOf = (b: object) => Object.keys(b).sort();
    const expected = ["code", "fieldErrors", "message", "requestId"];
    const cases: [Promise<Awaited<ReturnType<typeof rest>>>, number, string][] = [
      [rest("GET", "/orders/ord_missing"), 404, "NOT_FOUND"],
      [rest("GET", "/orders", { key: null }), 401, "UNAUTHORIZED"],
      [rest("GET", "/orders", { key: "not-a-key" }), 401, "UNAUTHORIZED"],
      [rest("POST", "/products", { body: {} }), 400, "BAD_REQUEST"],
      [rest("POST", `/accounts/${reseller.account.id}/status`, { body: { status: "adminHold" } }), 403, "FORBIDDEN"],
      [rest("POST", "/accounts", { rawBody: "{not json", headers: { "content-type": "application/json" } }), 400, "BAD_REQUEST"],
      [rest("POST", "/accounts", { rawBody: "[1]", headers: { "content-type": "application/json" } }), 400, "BAD_REQUEST"],
      [rest("GET", "/no/such/thing"), 404, "NOT_FOUND"],
      [rest("GET", "/orders?limit=many"), 400, "BAD_REQUEST"],
    ];
    for (const [call, status, code] of cases) {
      const { status: got, body } = await call;
      expect({ got, code: body.code, shape: shapeOf(body) }).toEqual({ got: status, code, shape: expected });
    }
  });

  it("reads a mutation's body as JSON whatever its content type, never answering Fastify's 415", async () => {
    // curl -d sends application/x-www-form-urlencoded; some clients send none at all.
    for (const type of ["application/x-www-form-urlencoded", "text/plain"]) {
      const created = await rest("POST", "/accounts", { rawBody: JSON.stringify(newCustomer()), headers: { "content-type": type } });
      expect(created.status).toBe(200);
    }
    const noType = await fetch(`${api.url}/api/v1/auth/logout`, { method: "POST", headers: { authorization: `Bearer ${reseller.key}` } });
    expect(noType.status).toBe(200);
    // And on /trpc a foreign content type gets tRPC's own answer, not Fastify's.
    const trpc = await fetch(`${api.url}/trpc/accounts.create`, {
      method: "POST",
      headers: { authorization: `Bearer ${reseller.key}`, "content-type": "text/plain" },
      body: "{}",
    });
    expect(trpc.status).toBe(415);
    expect(((await trpc.json()) as { error: { data: { code: string } } }).error.data.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });
});

describe("billing over REST", () => {
  it("lists statements, exports lines as CSV, reads the margin report and takes usage from the provider", async () => {
    const customer = await api.account("customer", { vendorId: reseller.account.id });
    const order = await customer.client.orders.place.mutate({ items: [{ mpn, quantity: 2 }] });
    await provision(api, order.id);
    await rateCompletedOrder(api.db, order.id);
    const month = new Date().toISOString().slice(0, 7);

    const list = await rest("GET", `/billing/statements?month=${month}&side=vendor&limit=5`);
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    const statement = list.body.items.find((s: { buyerId: string }) => s.buyerId === customer.account.id);
    expect(statement).toMatchObject({ vendorId: reseller.account.id, status: "open", lineCount: 1 });
    expect((await rest("GET", `/billing/statements/${statement.id}`)).body.id).toBe(statement.id);

    const csv = await rest("GET", `/billing/lines?statementId=${statement.id}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.body.csv.trim().split("\n")).toHaveLength(2); // header and the one line

    const margin = await rest("GET", `/billing/margin?month=${month}`);
    expect(margin.status).toBe(200);
    expect(margin.body.rows).toContainEqual(expect.objectContaining({ buyerId: customer.account.id, mpn }));

    const badMonth = await rest("GET", "/billing/margin?month=November");
    expect(badMonth.status).toBe(400);
    expect(Object.keys(badMonth.body.fieldErrors)).toEqual(["month"]);
    const licence = await rest("POST", "/usage", {
      key: api.providerKey,
      body: {
        subscriptionId: order.items[0]!.subscriptionId,
        unit: "license",
        quantity: 1,
        periodStart: "2026-10-01T00:00:00Z",
        periodEnd: "2026-10-02T00:00:00Z",
        idempotencyKey: "rest-1",
      },
    });
    expect(licence.status).toBe(412);
    expect(licence.body.message).toMatch(/billed per licence/);
  });
});
