import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createTestDatabase } from "@canopy/db/testing";
import { bootstrapPlatform } from "@canopy/domain/identity";
import { createCanopyClient } from "@canopy/sdk";
import { openQueues } from "../src/queues";
import { buildServer } from "../src/server";
import { TEST_PREFIX } from "./redis-cleanup";

export const ADMIN = { email: "ops-admin@provider.test", password: "correct horse battery staple" };

/**
 * A real API with its queue dashboard, over a database of this file's own and queues under a
 * prefix of this file's own on the real Redis, so nothing is shared with other test files.
 */
export async function startDashboardApi() {
  const database = await createTestDatabase();
  const providerKey = `bootstrap_${randomBytes(24).toString("base64url")}`;
  await bootstrapPlatform(database.db, { apiKey: providerKey, adminEmail: ADMIN.email, adminPassword: ADMIN.password });
  const prefix = `${TEST_PREFIX}${randomBytes(6).toString("hex")}`;
  const queues = openQueues({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", prefix });
  const app = await buildServer({ db: database.db, queues });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const provider = createCanopyClient({ url, apiKey: providerKey });
  return {
    url,
    dashboardUrl: `${url}/admin/queues`,
    providerKey,
    provider,
    queues,
    async close() {
      await app.close();
      await Promise.all([...queues.queues.values()].map((queue) => queue.obliterate({ force: true })));
      await queues.close();
      await database.drop();
    },
  };
}

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
