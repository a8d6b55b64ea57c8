import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectorSettingsOf, loadConfig } from "../src/config";
import { type Api, codeOf, startApi } from "./harness";

// The catalog refuses what no worker could carry out: an unknown connector, an http connector
// without a valid config or without a signing secret configured (issue 13, item 2).
let api: Api;
beforeAll(async () => {
  api = await startApi({
    connectors: connectorSettingsOf(
      loadConfig({ CANOPY_CONNECTORS: "demo,http", CONNECTOR_HTTP_SECRETS: '{"acme":"0123456789abcdef0123"}' }),
    ),
  });
});
afterAll(() => api?.close());

const product = (over: Record<string, unknown>) => ({
  mpn: `MPN-${api.unique()}`.toUpperCase(),
  name: "Backup",
  isvName: "Acme",
  connector: "demo",
  unit: "license",
  billingPeriod: "month" as const,
  minQuantity: 1,
  maxQuantity: 10,
  msrp: { amount: 100, currency: "USD" },
  ...over,
});

describe("products whose connector could never work", () => {
  it("refuses a connector the platform does not run, naming the ones it does", async () => {
    const error = await api.provider.products.create.mutate(product({ connector: "acme-legacy" })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('connector: unknown connector "acme-legacy"; this platform runs demo, http');
    expect(await codeOf(api.provider.products.create.mutate(product({ connector: "acme-legacy" })))).toBe("BAD_REQUEST");
    expect((await api.provider.products.list.query({ q: "Backup" })).items).toEqual([]);
  });

  it("refuses an http connector without a url or without a configured signing secret, and accepts one with", async () => {
    expect(await codeOf(api.provider.products.create.mutate(product({ connector: "http" })))).toBe("BAD_REQUEST");
    const missing = await api.provider.products.create
      .mutate(product({ connector: "http", connectorConfig: { url: "https://isv.example.com/canopy", secretRef: "other" } }))
      .catch((e: Error) => e.message);
    expect(missing).toBe('connectorConfig.secretRef: no signing secret is configured for "other" (CONNECTOR_HTTP_SECRETS)');
    const ok = await api.provider.products.create.mutate(
      product({ connector: "http", connectorConfig: { url: "https://isv.example.com/canopy", secretRef: "acme" } }),
    );
    expect(ok.connector).toBe("http");
  });

  it("refuses an update that would make a product unworkable, and leaves the product as it was", async () => {
    const created = await api.provider.products.create.mutate(product({}));
    expect(await codeOf(api.provider.products.update.mutate({ id: created.id, version: created.version, connector: "acme-legacy" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(api.provider.products.update.mutate({ id: created.id, version: created.version, connector: "http" }))).toBe(
      "BAD_REQUEST",
    );
    expect((await api.provider.products.get.query({ id: created.id })).connector).toBe("demo");
  });

  it("reads the list from CANOPY_CONNECTORS and keeps only the names of the http secrets", () => {
    const settings = connectorSettingsOf(
      loadConfig({ CANOPY_CONNECTORS: " demo , http ", CONNECTOR_HTTP_SECRETS: '{"a":"0123456789abcdef0123"}' }),
    );
    expect(settings).toEqual({ connectors: ["demo", "http"], httpSecretRefs: ["a"] });
    expect(() => loadConfig({ CANOPY_CONNECTORS: "Demo" })).toThrow(/CANOPY_CONNECTORS/);
  });
});
