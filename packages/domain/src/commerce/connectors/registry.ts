import { httpConnectorConfig } from "@canopy/domain/catalog";
import type { Connector } from "./connector";
import { createHttpConnector } from "./http.connector";

/** What a product says about its connector (`products.connector`, `products.connector_config`). */
export interface ProductConnectorRef {
  id: string;
  mpn: string;
  connector: string;
  connector_config: Record<string, unknown> | null;
}

// The product names its endpoint; the signing secret is not stored with the product but in the
// worker's configuration, under `secretRef` (default: the product's MPN).
const httpConfig = httpConnectorConfig;

export type ConnectorLookup = { connector: Connector } | { problem: string };

export interface ConnectorRegistry {
  forProduct(product: ProductConnectorRef): ConnectorLookup;
}

export interface ConnectorRegistryOptions {
  demo: Connector;
  /** Signing secrets of http connectors by secretRef, from the worker's configuration. */
  httpSecrets?: Record<string, string>;
  httpTimeoutMs?: number;
  /** The connectors this platform runs (CANOPY_CONNECTORS); default: demo and http. */
  enabled?: readonly string[];
}

/**
 * Resolves a product's connector. `demo` is one shared simulated ISV; `http` gets one client
 * per product (its URL from the product's connector config, its secret from the worker's), cached.
 */
export function createConnectorRegistry({
  demo,
  httpSecrets = {},
  httpTimeoutMs = 10_000,
  enabled = ["demo", "http"],
}: ConnectorRegistryOptions): ConnectorRegistry {
  const httpClients = new Map<string, { key: string; connector: Connector }>();
  return {
    forProduct(product) {
      if (!enabled.includes(product.connector)) return { problem: `unknown connector "${product.connector}" on product ${product.id}` };
      if (product.connector === "demo") return { connector: demo };
      if (product.connector === "http") {
        const config = httpConfig.safeParse(product.connector_config ?? {});
        if (!config.success) return { problem: `product ${product.mpn} has no valid http connector config ({url, secretRef?})` };
        const secretRef = config.data.secretRef ?? product.mpn;
        const secret = httpSecrets[secretRef];
        if (!secret) return { problem: `no signing secret configured for the http connector of ${product.mpn} (secretRef "${secretRef}")` };
        const key = `${config.data.url}\n${secret}`;
        const cached = httpClients.get(product.id);
        if (cached?.key === key) return { connector: cached.connector };
        try {
          const connector = createHttpConnector({ url: config.data.url, secret, timeoutMs: httpTimeoutMs });
          httpClients.set(product.id, { key, connector });
          return { connector };
        } catch (error) {
          return { problem: (error as Error).message };
        }
      }
      return { problem: `unknown connector "${product.connector}" on product ${product.id}` };
    },
  };
}
