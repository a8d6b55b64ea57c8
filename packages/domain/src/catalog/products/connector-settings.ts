import { badRequest } from "@canopy/domain/shared";
import { z } from "zod";

/**
 * What the platform's configuration says about connectors, so that the catalog refuses a product
 * no worker could ever carry out (docs/catalog.md): the connectors the workers run
 * (`CANOPY_CONNECTORS`, read by the API and the worker alike) and the secret refs of
 * `CONNECTOR_HTTP_SECRETS` (the API keeps the names only, never the secrets).
 */
export interface ConnectorSettings {
  connectors: readonly string[];
  /** `"any"`: not checked (tests of the contract alone). */
  httpSecretRefs: readonly string[] | "any";
}

export const defaultConnectorSettings: ConnectorSettings = { connectors: ["demo", "http"], httpSecretRefs: "any" };

/** An http connector's settings on the product; the signing secret is the worker's, under `secretRef` (default: the MPN). */
export const httpConnectorConfig = z.object({ url: z.url(), secretRef: z.string().min(1).optional() });

/** Refuses (BAD_REQUEST) a product whose connector is unknown or whose http connector could never sign. */
export function assertConnectorUsable(
  settings: ConnectorSettings,
  product: { mpn: string; connector: string; connectorConfig: Record<string, unknown> | null },
): void {
  if (!settings.connectors.includes(product.connector)) {
    throw badRequest(`connector: unknown connector "${product.connector}"; this platform runs ${settings.connectors.join(", ")}`);
  }
  if (product.connector !== "http") return;
  const config = httpConnectorConfig.safeParse(product.connectorConfig ?? {});
  if (!config.success) throw badRequest("connectorConfig: an http connector needs {url, secretRef?} with a valid url");
  const secretRef = config.data.secretRef ?? product.mpn;
  if (settings.httpSecretRefs !== "any" && !settings.httpSecretRefs.includes(secretRef)) {
    throw badRequest(`connectorConfig.secretRef: no signing secret is configured for "${secretRef}" (CONNECTOR_HTTP_SECRETS)`);
  }
}
