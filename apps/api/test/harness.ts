import type { AddressInfo } from "node:net";
import { type AppRouter, MAX_BATCH_CALLS } from "@canopy/api";
import { type Serve, startApi as startContractApi } from "@canopy/api/testing";
import { listenForEvents } from "@canopy/domain/messaging";
import { createTRPCClient, httpBatchLink, httpLink } from "@trpc/client";
import { buildServer } from "../src/server";

export { ADMIN, codeOf, errorCode } from "@canopy/api/testing";

/** The host itself (Fastify, the buffered transport, health), not only the contract. */
const serveHost =
  (trustProxy?: boolean, httpSecrets?: Record<string, string>, validateOutput?: boolean): Serve =>
  async ({ db, webhooks, connectors, databaseUrl }) => {
    const eventWakeups = listenForEvents(databaseUrl);
    const app = await buildServer({ db, webhooks, trustProxy, connectors, eventWakeups, httpSecrets, validateOutput });
    await app.listen({ port: 0, host: "127.0.0.1" });
    return {
      url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      close: async () => {
        await app.close();
        await eventWakeups.close();
      },
    };
  };

/**
 * A real API host on a free port over a database of this test file's own (see @canopy/api/testing).
 * `trustProxy` makes it believe X-Forwarded-For, so that `clientFrom` can call from any address;
 * `httpSecrets` are the http connectors' signing secrets (ISVs' usage callbacks); `validateOutput`
 * false serves the procedures without their output checks (API_VALIDATE_OUTPUT=0).
 */
export async function startApi({
  trustProxy,
  httpSecrets,
  validateOutput,
  ...opts
}: Omit<Parameters<typeof startContractApi>[0] & object, "serve"> & {
  trustProxy?: boolean;
  httpSecrets?: Record<string, string>;
  validateOutput?: boolean;
} = {}) {
  const api = await startContractApi({ ...opts, serve: serveHost(trustProxy, httpSecrets, validateOutput) });
  /** A client whose calls say (through X-Forwarded-For) they come from `address`. */
  const clientFrom = (address: string, { apiKey, batch = false }: { apiKey?: string; batch?: boolean } = {}) => {
    const options = {
      url: `${api.url}/trpc`,
      headers: () => ({ "x-forwarded-for": address, ...(apiKey && { authorization: `Bearer ${apiKey}` }) }),
    };
    return createTRPCClient<AppRouter>({ links: [batch ? httpBatchLink({ ...options, maxItems: MAX_BATCH_CALLS }) : httpLink(options)] });
  };
  return { ...api, clientFrom };
}

export type Api = Awaited<ReturnType<typeof startApi>>;
