import { z } from "zod";

/**
 * The environment's word on connectors, read alike by the API and the worker (each spreads it into
 * its own configuration schema), so that both agree on which connectors exist and which secrets
 * sign http calls. The API keeps only the names of the secrets (see `ConnectorSettings`).
 */
export const connectorEnvironment = {
  /** The connectors this platform runs: the API refuses products naming another one. */
  CANOPY_CONNECTORS: z
    .string()
    .default("demo,http")
    .transform((text) =>
      text
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "connector names are lower-case")).min(1, "name at least one connector")),
  /**
   * Signing secrets of http connectors, a JSON object {secretRef: secret} (secretRef defaults to the MPN):
   * the worker signs its calls to ISVs with them; the API refuses products without one and checks ISVs' signed usage callbacks.
   */
  CONNECTOR_HTTP_SECRETS: z
    .string()
    .default("{}")
    .transform((text, ctx) => {
      try {
        return z.record(z.string(), z.string().min(16)).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: "custom", message: "must be a JSON object of secrets (at least 16 characters each)" });
        return z.NEVER;
      }
    }),
};
