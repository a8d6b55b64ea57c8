import { appRouter } from "@canopy/api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./harness";

/**
 * Every procedure of the router, whatever future issues add: malformed input is a BAD_REQUEST
 * with field errors, and no input at all produces a 5xx.
 */
let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

type ProcedureDef = { type: "query" | "mutation" | "subscription"; inputs: unknown[] };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>)
  .map(([path, p]) => ({ path, type: p._def.type, takesInput: p._def.inputs.length > 0 }))
  .filter((p) => p.type !== "subscription");

async function call(path: string, type: string, input: unknown) {
  const headers = { authorization: `Bearer ${api.providerKey}`, "content-type": "application/json" };
  const response =
    type === "query"
      ? await fetch(`${api.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
      : await fetch(`${api.url}/trpc/${path}`, { method: "POST", headers, body: JSON.stringify(input) });
  const body = (await response.json()) as {
    error?: { message?: string; data?: { code?: string; zodError?: unknown; fieldErrors?: unknown } };
  };
  return { status: response.status, error: body.error };
}

describe("malformed input", () => {
  it("covers the whole router", () => {
    expect(procedures.length).toBeGreaterThan(15);
  });

  it.each(procedures.filter((p) => p.takesInput))("$path answers BAD_REQUEST with field errors", async ({ path, type }) => {
    const notAnObject = await call(path, type, 42);
    expect(notAnObject.status).toBe(400);
    expect(notAnObject.error?.data?.code).toBe("BAD_REQUEST");

    // Wrong types for fields every input shape is likely to have.
    const wrongFields = await call(path, type, { id: 7, limit: "many", cursor: 3, accountId: false, name: [], email: 1 });
    expect(wrongFields.status).toBe(400);
    const zodError = wrongFields.error?.data?.zodError as { fieldErrors: Record<string, string[]>; formErrors: string[] };
    expect(Object.keys(zodError.fieldErrors).length + zodError.formErrors.length).toBeGreaterThan(0);
  });

  it("names the offending fields by their nested paths, and the field and rule in one line", async () => {
    const { error } = await call("accounts.create", "mutation", {
      type: "customer",
      name: "",
      contact: { email: "nope" },
      address: { country: "germany" },
    });
    const fields = (error?.data?.zodError as { fieldErrors: Record<string, string[]> } | undefined)?.fieldErrors ?? {};
    expect(Object.keys(fields).sort()).toEqual(["address.country", "contact.email", "name"]);
    expect(error?.data?.fieldErrors).toEqual(fields);
    expect(fields["contact.email"]).toEqual(["invalid email address"]);
    expect(error?.message).toBe(
      "name: too small: expected string to have >=1 characters; contact.email: invalid email address; " +
        "address.country: must be an ISO 3166-1 alpha-2 code such as US or DE",
    );
  });

  it("points into arrays and unions: the item's field, not the whole item", async () => {
    const { error } = await call("orders.place", "mutation", {
      items: [
        { mpn: "X-1", quantity: 1 },
        { mpn: "X-2", quantity: 0 },
      ],
    });
    expect(error?.data?.fieldErrors).toEqual({ "items.1.quantity": ["too small: expected number to be >=1"] });
    expect(error?.message).toBe("items.1.quantity: too small: expected number to be >=1");
  });

  it("never answers any JSON with a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...procedures), fc.jsonValue({ maxDepth: 3 }), async (p, input) => {
        const { status } = await call(p.path, p.type, input);
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  it("answers values the database would choke on with BAD_REQUEST", async () => {
    for (const input of [{ id: "acc_\u0000" }, { rootId: "\u0000" }]) {
      const { status, error } = await call(input.id ? "accounts.get" : "accounts.list", "query", input);
      expect(status).toBe(400);
      expect(error?.data?.code).toBe("BAD_REQUEST");
    }
    const { account } = await api.account("customer");
    const huge = await call("accounts.update", "mutation", { id: account.id, version: 2 ** 40, name: "x" });
    expect(huge.status).toBeLessThan(500);
  });

  it("refuses free-form JSON nested deeper than 32 levels with BAD_REQUEST, however deep", async () => {
    const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const post = async (path: string, body: string) => {
      const response = await fetch(`${api.url}/trpc/${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${api.providerKey}`, "content-type": "application/json" },
        body,
      });
      return { status: response.status, message: ((await response.json()) as { error?: { message?: string } }).error?.message ?? "" };
    };
    const endpoint = await api.provider.webhooks.endpoints.create.mutate({ url: "https://example.com/hooks" });
    const product = await api.provider.products.create.mutate({
      mpn: `DEEP-${api.unique()}`.toUpperCase(),
      name: "Deep",
      isvName: "Acme",
      connector: "demo",
      unit: "license",
      billingPeriod: "month",
      minQuantity: 1,
      maxQuantity: 10,
      msrp: { amount: 100, currency: "USD" },
    });
    const draft = `"mpn":"DEEPER-${api.unique().toUpperCase()}","name":"Deeper","isvName":"Acme","connector":"demo","unit":"license","billingPeriod":"month","minQuantity":1,"maxQuantity":10,"msrp":{"amount":100,"currency":"USD"}`;
    for (const depth of [33, 6000]) {
      const calls = [
        await post("webhooks.endpoints.sendTest", `{"id":"${endpoint.endpoint.id}","data":${nested(depth)}}`),
        await post("products.create", `{${draft},"connectorConfig":${nested(depth)}}`),
        await post("products.update", `{"id":"${product.id}","connectorConfig":${nested(depth)}}`),
      ];
      for (const { status, message } of calls) {
        expect(status, message).toBe(400);
        expect(message).toMatch(/nested deeper than 32/);
      }
    }
    expect((await post("webhooks.endpoints.sendTest", `{"id":"${endpoint.endpoint.id}","data":${nested(31)}}`)).status).toBeLessThan(500);
  });

  it("answers a broken body and an unknown procedure without a 5xx", async () => {
    const broken = await fetch(`${api.url}/trpc/accounts.create`, {
      method: "POST",
      headers: { authorization: `Bearer ${api.providerKey}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(broken.status).toBe(400);
    const unknown = await fetch(`${api.url}/trpc/accounts.explode`, { headers: { authorization: `Bearer ${api.providerKey}` } });
    expect(unknown.status).toBe(404);
  });
});
