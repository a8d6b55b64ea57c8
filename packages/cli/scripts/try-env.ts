// A live API and worker on a scratch database for trying the CLI by hand (the report's terminal
// session): prints a customer admin's e-mail and password, a published product's MPN, and the URL.
//   npx tsx packages/cli/scripts/try-env.ts        (Ctrl-C stops and drops the database)
import { randomBytes } from "node:crypto";
import { publishedProduct, startApi } from "@canopy/api/testing";
import { prepareTemplateDatabase } from "@canopy/db/testing";
import { startWorker } from "@canopy/worker";
import pino from "pino";

await prepareTemplateDatabase();
const api = await startApi({ webhooks: { allowPrivateUrls: true } });
const worker = await startWorker({
  db: api.db,
  databaseUrl: api.databaseUrl,
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  prefix: `canopy-try-${randomBytes(4).toString("hex")}`,
  logger: pino({ level: "silent" }),
});
const customer = await api.account("customer", { name: "Example GmbH" });
const admin = await api.user(customer.account.id, "admin");
const product = await publishedProduct(api);
console.log(
  JSON.stringify({ url: api.url, email: admin.email, password: admin.password, mpn: product.mpn, customer: customer.account.id }),
);
const stop = async () => {
  await worker.close();
  await api.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
