import type { AddressInfo } from "node:net";
import { type Serve, startApi as startContractApi } from "@canopy/api/testing";
import { listenForEvents } from "@canopy/domain/messaging";
import { buildServer } from "../src/server";

export { ADMIN, type Api, codeOf, errorCode } from "@canopy/api/testing";

/** The host itself (Fastify, the buffered transport, health), not only the contract. */
const serveHost: Serve = async ({ db, webhooks, databaseUrl }) => {
  const eventWakeups = listenForEvents(databaseUrl);
  const app = await buildServer({ db, webhooks, eventWakeups });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: async () => {
      await app.close();
      await eventWakeups.close();
    },
  };
};

/** A real API host on a free port over a database of this test file's own (see @canopy/api/testing). */
export const startApi = (opts: Omit<Parameters<typeof startContractApi>[0] & object, "serve"> = {}) =>
  startContractApi({ ...opts, serve: serveHost });
